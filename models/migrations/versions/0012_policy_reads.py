"""policy: claim records readable, decision letters (issue 12)

Revision ID: 0012_policy_reads
Revises: 0011_hardening
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_policy_reads"
down_revision = "0011_hardening"
branch_labels = None
depends_on = None

DOCUMENTS = ("work_permit", "asylum_card")


def upgrade() -> None:
    # A revocation keeps who and when with its (required) reason.
    for table in DOCUMENTS:
        op.add_column(table, sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
        op.add_column(table, sa.Column("revoked_by", sa.Text(), nullable=True))


def downgrade() -> None:
    for table in DOCUMENTS:
        op.drop_column(table, "revoked_by")
        op.drop_column(table, "revoked_at")
