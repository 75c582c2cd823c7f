"""open statistics: versioned releases (issue 19)

Revision ID: 0009_statistics_release
Revises: 0008_duplicate_review
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = '0009_statistics_release'
down_revision = '0008_duplicate_review'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
