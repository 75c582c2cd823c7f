"""scale-out: shared rate-limit windows and persisted queries for several hub instances (issue 18)

Revision ID: 0015_scale_out
Revises: 0014_self_service
"""
from alembic import op
import sqlalchemy as sa

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
    op.create_table('persisted_query',
    sa.Column('sha256', sa.Text(), nullable=False),
    sa.Column('query', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('sha256')
    )
    op.create_index('ix_persisted_query_created_at', 'persisted_query', ['created_at'])


def downgrade() -> None:
    op.drop_index('ix_persisted_query_created_at', table_name='persisted_query')
    op.drop_table('persisted_query')
    op.drop_table('rate_window')
