"""legacy spreadsheet import: provenance and adjudication

Revision ID: 0006_import
Revises: 0005_agency_views
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0006_import'
down_revision = '0005_agency_views'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
