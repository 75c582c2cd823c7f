"""self-service: account activation and password reset, applicant messages, enrolment photo (issue 15)

Revision ID: 0014_self_service
Revises: 0013_import_stability
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0014_self_service'
down_revision = '0013_import_stability'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('applicant_account', sa.Column('activation_expires_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('applicant_account', sa.Column('reset_code_hash', sa.Text(), nullable=True))
    op.add_column('applicant_account', sa.Column('reset_expires_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('applicant_account', sa.Column('failed_attempts', sa.Integer(), server_default='0', nullable=False))
    op.add_column('applicant_account', sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
    op.create_table('applicant_message',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('person_id', sa.BigInteger(), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('recipient', sa.Text(), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("channel IN ('email', 'sms')", name=op.f('ck_applicant_message_channel')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_applicant_message_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_applicant_message'))
    )
    op.create_index(op.f('ix_applicant_message_person_id'), 'applicant_message', ['person_id'], unique=False)
    op.add_column('biometric_enrolment', sa.Column('photo', postgresql.BYTEA(), nullable=True))


def downgrade() -> None:
    op.drop_column('biometric_enrolment', 'photo')
    op.drop_index(op.f('ix_applicant_message_person_id'), table_name='applicant_message')
    op.drop_table('applicant_message')
    for column in ('locked_until', 'failed_attempts', 'reset_expires_at', 'reset_code_hash',
                   'activation_expires_at'):
        op.drop_column('applicant_account', column)
