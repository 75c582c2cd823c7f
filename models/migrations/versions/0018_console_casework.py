"""console casework (issue 14): case notes, and undoing a "same person" duplicate decision

``case_note`` holds officers' notes on a case (claim data, sealed like the other claim
values); its writes are captured for the access log like every case table
(``qhub_capture_change``, 0007). ``possible_duplicate`` keeps who undid its last
"same person" decision, when and why, and the photo taken at the enrolment that raised it
(nothing is enrolled then) for the reviewer to compare.

Revision ID: 0018_console_casework
Revises: 0016_log_chains
"""
from alembic import op
import sqlalchemy as sa

revision = '0018_console_casework'
down_revision = '0016_log_chains'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('case_note',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('case_id', sa.BigInteger(), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('author', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_note_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_note'))
    )
    op.create_index(op.f('ix_case_note_case_id'), 'case_note', ['case_id'], unique=False)
    op.execute(
        "CREATE TRIGGER case_note_write_change AFTER INSERT OR UPDATE OR DELETE ON case_note"
        " FOR EACH ROW EXECUTE FUNCTION qhub_capture_change('id')"
    )
    op.add_column('possible_duplicate', sa.Column('undone_by', sa.Text(), nullable=True))
    op.add_column('possible_duplicate', sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('possible_duplicate', sa.Column('undo_note', sa.Text(), nullable=True))
    op.add_column('possible_duplicate', sa.Column('photo', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    op.drop_column('possible_duplicate', 'photo')
    op.drop_column('possible_duplicate', 'undo_note')
    op.drop_column('possible_duplicate', 'undone_at')
    op.drop_column('possible_duplicate', 'undone_by')
    op.execute("DROP TRIGGER case_note_write_change ON case_note")
    op.drop_index(op.f('ix_case_note_case_id'), table_name='case_note')
    op.drop_table('case_note')
