"""data at rest: sealed claim data, log checkpoints (issue 17)

Revision ID: 0010_sealed_claims
Revises: 0009_statistics_release
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = '0010_sealed_claims'
down_revision = '0009_statistics_release'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
