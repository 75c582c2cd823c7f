"""scale-out: shared rate-limit windows for several hub instances (issue 18)

Revision ID: 0015_scale_out
Revises: 0014_self_service
"""
from alembic import op

revision = '0015_scale_out'
down_revision = '0014_self_service'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE UNLOGGED TABLE rate_window ("
        " scope TEXT NOT NULL, key TEXT NOT NULL, window_start TIMESTAMPTZ NOT NULL,"
        " hits INTEGER NOT NULL, PRIMARY KEY (scope, key, window_start))"
    )


def downgrade() -> None:
    op.drop_table('rate_window')
