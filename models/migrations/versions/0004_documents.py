"""documents: cards, work permits, verification

Revision ID: 0004_documents
Revises: 0003_casework
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0004_documents'
down_revision = '0003_casework'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
