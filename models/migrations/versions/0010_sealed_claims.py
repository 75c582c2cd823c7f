"""data at rest: sealed claim data, log checkpoints (issue 17)

Claim columns become bytea holding sealed values (services.sealing); a value written
before this revision is kept as b'\\x00' + its UTF-8 text (read as is until
``qhub keys rotate-claims`` seals it). Each case's data key, wrapped by a key-encryption
key held outside the database, is in ``claim_data_key``. A decision's reasons in the
status history move to ``status_change.sealed_reason``.

Revision ID: 0010_sealed_claims
Revises: 0009_statistics_release
"""
from alembic import op
import sqlalchemy as sa

revision = '0010_sealed_claims'
down_revision = '0009_statistics_release'
branch_labels = None
depends_on = None

# (table, column, SQL giving the old value's text)
CLAIM_COLUMNS = [
    ("interview_record", "summary", "summary"),
    ("eligibility_assessment", "grounds", "array_to_json(grounds)::text"),
    ("eligibility_assessment", "credibility", "credibility"),
    ("eligibility_assessment", "analysis", "analysis"),
    ("eligibility_assessment", "recommendation", "recommendation"),
    ("case_decision", "reasons", "reasons"),
    ("claim_appeal", "grounds", "grounds"),
]


def upgrade() -> None:
    op.create_table(
        'claim_data_key',
        sa.Column('case_id', sa.BigInteger(), nullable=False),
        sa.Column('kek_id', sa.String(length=64), nullable=False),
        sa.Column('wrapped', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('rewrapped_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_claim_data_key_case_id_case_file'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('case_id', name=op.f('pk_claim_data_key')),
    )
    op.create_index(op.f('ix_claim_data_key_kek_id'), 'claim_data_key', ['kek_id'], unique=False)
    op.drop_constraint(
        op.f('ck_eligibility_assessment_recommendation'), 'eligibility_assessment', type_='check'
    )
    for table, column, old_text in CLAIM_COLUMNS:
        op.execute(
            f"ALTER TABLE {table} ALTER COLUMN {column} TYPE bytea"
            f" USING '\\x00'::bytea || convert_to({old_text}, 'UTF8')"
        )
    op.add_column('status_change', sa.Column('sealed_reason', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    op.drop_column('status_change', 'sealed_reason')
    for table, column, _ in CLAIM_COLUMNS:
        op.execute(
            f"ALTER TABLE {table} ALTER COLUMN {column} TYPE text"
            f" USING convert_from(substr({column}, 2), 'UTF8')"
        )
    op.execute(
        "ALTER TABLE eligibility_assessment ALTER COLUMN grounds TYPE text[]"
        " USING ARRAY(SELECT json_array_elements_text(grounds::json))"
    )
    op.execute(
        "ALTER TABLE eligibility_assessment ALTER COLUMN recommendation TYPE varchar(16)"
    )
    op.create_check_constraint(
        op.f('ck_eligibility_assessment_recommendation'),
        'eligibility_assessment',
        "recommendation IN ('recognise', 'reject')",
    )
    op.drop_index(op.f('ix_claim_data_key_kek_id'), table_name='claim_data_key')
    op.drop_table('claim_data_key')
