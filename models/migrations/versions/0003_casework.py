"""case work: appointments, prioritisation, assignment, eligibility

Revision ID: 0003_casework
Revises: 0002_access
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0003_casework'
down_revision = '0002_access'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
