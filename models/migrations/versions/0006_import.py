"""legacy spreadsheet import: provenance and adjudication

Revision ID: 0006_import
Revises: 0005_agency_views
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0006_import'
down_revision = '0005_agency_views'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('import_batch',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('actor', sa.Text(), nullable=False),
    sa.Column('files', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('value_rule', sa.String(length=32), nullable=False),
    sa.Column('stats', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch'))
    )
    op.create_table('import_row',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('batch_id', sa.BigInteger(), nullable=False),
    sa.Column('file_name', sa.Text(), nullable=False),
    sa.Column('sheet_name', sa.Text(), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('problems', postgresql.JSONB(astext_type=sa.Text()), server_default='[]', nullable=False),
    sa.Column('raw', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('values', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.Column('person_id', sa.BigInteger(), nullable=True),
    sa.CheckConstraint("status IN ('imported', 'rejected')", name=op.f('ck_import_row_status')),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_import_row_batch_id_import_batch'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_import_row_person_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_row')),
    sa.UniqueConstraint('content_hash', name=op.f('uq_import_row_content_hash'))
    )
    op.create_index(op.f('ix_import_row_batch_id'), 'import_row', ['batch_id'], unique=False)
    op.create_index(op.f('ix_import_row_person_id'), 'import_row', ['person_id'], unique=False)
    op.create_table('import_pair',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('batch_id', sa.BigInteger(), nullable=False),
    sa.Column('person_a_id', sa.BigInteger(), nullable=False),
    sa.Column('person_b_id', sa.BigInteger(), nullable=False),
    sa.Column('row_a_id', sa.BigInteger(), nullable=True),
    sa.Column('row_b_id', sa.BigInteger(), nullable=True),
    sa.Column('probability', sa.Float(), nullable=False),
    sa.Column('detail', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.Column('status', sa.String(length=16), server_default='open', nullable=False),
    sa.Column('decided_by', sa.Text(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('open', 'confirmed', 'rejected')", name=op.f('ck_import_pair_status')),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_import_pair_batch_id_import_batch'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['row_a_id'], ['import_row.id'], name=op.f('fk_import_pair_row_a_id_import_row'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['row_b_id'], ['import_row.id'], name=op.f('fk_import_pair_row_b_id_import_row'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_pair')),
    sa.UniqueConstraint('person_a_id', 'person_b_id', name='uq_import_pair_persons')
    )
    op.create_index(op.f('ix_import_pair_batch_id'), 'import_pair', ['batch_id'], unique=False)
    op.create_index(op.f('ix_import_pair_status'), 'import_pair', ['status'], unique=False)
    op.create_table('import_value',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('row_id', sa.BigInteger(), nullable=False),
    sa.Column('person_id', sa.BigInteger(), nullable=True),
    sa.Column('field', sa.String(length=32), nullable=False),
    sa.Column('column_name', sa.Text(), nullable=False),
    sa.Column('raw_value', sa.Text(), nullable=False),
    sa.Column('normalised_value', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_import_value_person_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['row_id'], ['import_row.id'], name=op.f('fk_import_value_row_id_import_row'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_value'))
    )
    op.create_index(op.f('ix_import_value_person_id'), 'import_value', ['person_id'], unique=False)
    op.create_index(op.f('ix_import_value_row_id'), 'import_value', ['row_id'], unique=False)
    op.create_table('import_field_choice',
    sa.Column('person_id', sa.BigInteger(), nullable=False),
    sa.Column('field', sa.String(length=32), nullable=False),
    sa.Column('value', sa.Text(), nullable=True),
    sa.Column('value_id', sa.BigInteger(), nullable=True),
    sa.Column('rule', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('candidates', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_import_field_choice_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['value_id'], ['import_value.id'], name=op.f('fk_import_field_choice_value_id_import_value'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('person_id', 'field', name=op.f('pk_import_field_choice'))
    )
    op.create_table('import_merge',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('pair_id', sa.BigInteger(), nullable=True),
    sa.Column('kept_person_id', sa.BigInteger(), nullable=False),
    sa.Column('merged_person_id', sa.BigInteger(), nullable=False),
    sa.Column('snapshot', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('automatic', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('status', sa.String(length=16), server_default='active', nullable=False),
    sa.Column('merged_by', sa.Text(), nullable=False),
    sa.Column('merged_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('undone_by', sa.Text(), nullable=True),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('active', 'undone')", name=op.f('ck_import_merge_status')),
    sa.ForeignKeyConstraint(['kept_person_id'], ['person.id'], name=op.f('fk_import_merge_kept_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pair_id'], ['import_pair.id'], name=op.f('fk_import_merge_pair_id_import_pair'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_merge'))
    )
    op.create_index(op.f('ix_import_merge_kept_person_id'), 'import_merge', ['kept_person_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_import_merge_kept_person_id'), table_name='import_merge')
    op.drop_table('import_merge')
    op.drop_table('import_field_choice')
    op.drop_index(op.f('ix_import_value_row_id'), table_name='import_value')
    op.drop_index(op.f('ix_import_value_person_id'), table_name='import_value')
    op.drop_table('import_value')
    op.drop_index(op.f('ix_import_pair_status'), table_name='import_pair')
    op.drop_index(op.f('ix_import_pair_batch_id'), table_name='import_pair')
    op.drop_table('import_pair')
    op.drop_index(op.f('ix_import_row_person_id'), table_name='import_row')
    op.drop_index(op.f('ix_import_row_batch_id'), table_name='import_row')
    op.drop_table('import_row')
    op.drop_table('import_batch')
