"""agency views: protection feed, pseudonyms, statistics

Revision ID: 0005_agency_views
Revises: 0004_documents
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
