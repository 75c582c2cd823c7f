"""possible duplicates: the review's decision, who made it, when and why

Revision ID: 0008_duplicate_review
Revises: 0007_write_changes
"""
from alembic import op
import sqlalchemy as sa

revision = '0008_duplicate_review'
down_revision = '0007_write_changes'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('possible_duplicate', sa.Column('resolved_by', sa.Text(), nullable=True))
    op.add_column('possible_duplicate', sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('possible_duplicate', sa.Column('resolution_note', sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column('possible_duplicate', 'resolution_note')
    op.drop_column('possible_duplicate', 'resolved_at')
    op.drop_column('possible_duplicate', 'resolved_by')
