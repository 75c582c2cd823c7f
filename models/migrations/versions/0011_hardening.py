"""hardening: throttles, shared limits (issue 13)

Revision ID: 0011_hardening
Revises: 0010_sealed_claims
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = '0011_hardening'
down_revision = '0010_sealed_claims'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
