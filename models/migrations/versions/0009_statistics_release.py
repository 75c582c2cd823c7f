"""open statistics: versioned releases (issue 19)

Revision ID: 0009_statistics_release
Revises: 0008_duplicate_review
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0009_statistics_release'
down_revision = '0008_duplicate_review'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'statistics_release',
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('reference_date', sa.Date(), nullable=False),
        sa.Column('published_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('method', sa.Text(), nullable=False),
        sa.Column('threshold', sa.Integer(), nullable=False),
        sa.Column('protection', sa.Integer(), nullable=False),
        sa.Column('domains', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('tables', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('cells', postgresql.ARRAY(sa.Integer()), nullable=False),
        sa.Column('audit', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column('build_seconds', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('version', name=op.f('pk_statistics_release')),
        sa.UniqueConstraint('reference_date', name=op.f('uq_statistics_release_reference_date')),
    )


def downgrade() -> None:
    op.drop_table('statistics_release')
