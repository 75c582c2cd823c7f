"""policy: claim records readable, decision letters (issue 12)

Revision ID: 0012_policy_reads
Revises: 0011_hardening
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = '0012_policy_reads'
down_revision = '0011_hardening'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
