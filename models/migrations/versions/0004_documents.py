"""documents: cards, work permits, verification

Revision ID: 0004_documents
Revises: 0003_casework
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0004_documents'
down_revision = '0003_casework'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('work_permit',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('case_id', sa.BigInteger(), nullable=False),
    sa.Column('person_id', sa.BigInteger(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), server_default='active', nullable=False),
    sa.Column('replaced_by', sa.String(length=32), nullable=True),
    sa.Column('issued_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('issued_by', sa.Text(), nullable=False),
    sa.Column('revoked_reason', sa.Text(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.CheckConstraint("status IN ('active', 'revoked', 'replaced')", name=op.f('ck_work_permit_status')),
    sa.CheckConstraint('valid_to >= valid_from', name=op.f('ck_work_permit_validity')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_work_permit_case_id_case_file')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_work_permit_person_id_person')),
    sa.ForeignKeyConstraint(['replaced_by'], ['work_permit.id'], name=op.f('fk_work_permit_replaced_by_work_permit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_permit'))
    )
    op.create_index(op.f('ix_work_permit_case_id'), 'work_permit', ['case_id'], unique=False)
    op.create_index(op.f('ix_work_permit_person_id'), 'work_permit', ['person_id'], unique=False)
    op.create_table('asylum_card',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('case_id', sa.BigInteger(), nullable=False),
    sa.Column('person_id', sa.BigInteger(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=16), server_default='active', nullable=False),
    sa.Column('replaced_by', sa.String(length=32), nullable=True),
    sa.Column('issued_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('issued_by', sa.Text(), nullable=False),
    sa.Column('revoked_reason', sa.Text(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.CheckConstraint("status IN ('active', 'revoked', 'replaced')", name=op.f('ck_asylum_card_status')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_asylum_card_case_id_case_file')),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_asylum_card_office_id_office')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_asylum_card_person_id_person')),
    sa.ForeignKeyConstraint(['replaced_by'], ['asylum_card.id'], name=op.f('fk_asylum_card_replaced_by_asylum_card')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_asylum_card')),
    sa.UniqueConstraint('number', name=op.f('uq_asylum_card_number'))
    )
    op.create_index(op.f('ix_asylum_card_case_id'), 'asylum_card', ['case_id'], unique=False)
    op.create_index(op.f('ix_asylum_card_person_id'), 'asylum_card', ['person_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_asylum_card_person_id'), table_name='asylum_card')
    op.drop_index(op.f('ix_asylum_card_case_id'), table_name='asylum_card')
    op.drop_table('asylum_card')
    op.drop_index(op.f('ix_work_permit_person_id'), table_name='work_permit')
    op.drop_index(op.f('ix_work_permit_case_id'), table_name='work_permit')
    op.drop_table('work_permit')
