"""case work: online pre-registration requests

Revision ID: 0003_casework
Revises: 0002_access
"""
from alembic import op
import sqlalchemy as sa

revision = '0003_casework'
down_revision = '0002_access'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('pre_registration_request',
    sa.Column('idempotency_key', sa.String(length=128), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('case_id', sa.BigInteger(), nullable=False),
    sa.Column('client_address', sa.String(length=64), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('case_number', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_pre_registration_request_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('idempotency_key', name=op.f('pk_pre_registration_request'))
    )


def downgrade() -> None:
    op.drop_table('pre_registration_request')
