"""import: stable person ids, provenance alternatives (issue 16)

Revision ID: 0013_import_stability
Revises: 0012_policy_reads
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401

revision = '0013_import_stability'
down_revision = '0012_policy_reads'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
