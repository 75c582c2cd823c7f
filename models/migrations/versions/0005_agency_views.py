"""agency views: protection feed, pseudonyms, statistics

Revision ID: 0005_agency_views
Revises: 0004_documents

Intentionally no DDL. The protection change feed is derived from ``status_change``
(written by the casework status machine in the same transaction as the status; its id is
the feed's monotonic cursor), so no second table can drift from the statuses.
Pseudonyms are a keyed permutation of the person id (AES under a per-agency key derived
from the hub secret in ``settings.data_dir``): reversible by the hub without a mapping
table. Statistics are computed on request.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0005_agency_views'
down_revision = '0004_documents'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
