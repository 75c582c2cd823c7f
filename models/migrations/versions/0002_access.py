"""access policy, tokens and the access log

Revision ID: 0002_access
Revises: 0001_core
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0002_access'
down_revision = '0001_core'
branch_labels = None
depends_on = None

APPEND_ONLY = """
CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'access_log es de solo anexado: % no está permitido', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER access_log_no_update_delete BEFORE UPDATE OR DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON access_log FROM PUBLIC;
"""


def upgrade() -> None:
    op.create_table('access_log',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('client_id', sa.Text(), nullable=True),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('agency', sa.String(length=16), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('purpose', sa.String(length=32), nullable=True),
    sa.Column('operation', sa.Text(), nullable=True),
    sa.Column('action', sa.String(length=8), nullable=False),
    sa.Column('person_ids', postgresql.ARRAY(sa.BigInteger()), nullable=False),
    sa.Column('categories', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('changes', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('prev_hash', sa.LargeBinary(), nullable=False),
    sa.Column('entry_hash', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_log')),
    sa.UniqueConstraint('entry_hash', name=op.f('uq_access_log_entry_hash'))
    )
    op.create_index('ix_access_log_persons', 'access_log', ['person_ids'], unique=False, postgresql_using='gin')
    op.execute(APPEND_ONLY)
    op.create_table('applicant_account',
    sa.Column('person_id', sa.BigInteger(), nullable=False),
    sa.Column('login', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.Text(), nullable=True),
    sa.Column('activation_code_hash', sa.Text(), nullable=True),
    sa.Column('activated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_applicant_account_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_applicant_account')),
    sa.UniqueConstraint('login', name=op.f('uq_applicant_account_login'))
    )


def downgrade() -> None:
    op.drop_table('applicant_account')
    op.execute("DROP TRIGGER access_log_no_truncate ON access_log")
    op.execute("DROP TRIGGER access_log_no_update_delete ON access_log")
    op.execute("DROP FUNCTION access_log_append_only()")
    op.drop_index('ix_access_log_persons', table_name='access_log', postgresql_using='gin')
    op.drop_table('access_log')
