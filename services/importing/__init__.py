"""Import of legacy spreadsheets: reading, column mapping, normalisation, validation, linkage."""
