"""write log: before/after of every row a request's mutation changes

Revision ID: 0007_write_changes
Revises: 0006_import

A trigger on every table of personal or case data stages the changed columns of each
row (before and after) in ``write_change`` while the connection names a request
(``SET qhub.request``); the request's write entry then moves them into the hash-chained
access log. Bulk jobs without a request (migration, import, demo data) are not staged:
the import keeps its own provenance.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0007_write_changes'
down_revision = '0006_import'
branch_labels = None
depends_on = None

AUDITED = (
    "person", "consent", "health_profile", "identity_document", "officer", "case_file",
    "appointment", "case_member", "case_need", "status_change", "applicant_account",
    "pre_registration_request", "appointment_slot", "slot_booking", "case_assignment",
    "case_priority", "biometric_enrolment", "local_biometric_template",
    "possible_duplicate", "agency_subscription", "interview_record",
    "eligibility_assessment", "case_decision", "claim_appeal", "work_permit", "asylum_card",
    "import_pair", "import_merge", "import_field_choice", "agency_client", "priority_rule_set",
)

FUNCTIONS = r"""
CREATE FUNCTION qhub_redact_row(j jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_object_agg(key, CASE
      WHEN key ~ '(hash|password|secret|template|pdf|photo|activation|signature)'
        THEN '"[omitido]"'::jsonb
      WHEN jsonb_typeof(value) = 'string' AND length(value #>> '{}') > 200
        THEN to_jsonb('[omitido: ' || length(value #>> '{}') || ' caracteres]')
      WHEN jsonb_typeof(value) IN ('object', 'array') AND length(value::text) > 2000
        THEN to_jsonb('[omitido: ' || length(value::text) || ' caracteres]')
      ELSE value END), '{}'::jsonb)
  FROM jsonb_each(j)
$$;

CREATE FUNCTION qhub_capture_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  request text := current_setting('qhub.request', true);
  old_row jsonb;
  new_row jsonb;
  before jsonb;
  after jsonb;
  row_key jsonb := '{}'::jsonb;
  key_column text;
BEGIN
  IF request IS NULL OR request = '' THEN
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD); END IF;
  IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW); END IF;
  IF TG_OP = 'UPDATE' THEN
    SELECT jsonb_object_agg(n.key, o.value), jsonb_object_agg(n.key, n.value)
      INTO before, after
      FROM jsonb_each(new_row) n JOIN jsonb_each(old_row) o ON o.key = n.key
     WHERE n.value IS DISTINCT FROM o.value;
    IF before IS NULL THEN
      RETURN NULL;  -- nothing changed
    END IF;
  ELSE
    before := old_row;
    after := new_row;
  END IF;
  FOREACH key_column IN ARRAY TG_ARGV LOOP
    row_key := row_key || jsonb_build_object(key_column, coalesce(new_row, old_row) -> key_column);
  END LOOP;
  INSERT INTO write_change (request_key, table_name, operation, row_key, before, after)
  VALUES (request, TG_TABLE_NAME, TG_OP, row_key,
          CASE WHEN before IS NULL THEN NULL ELSE qhub_redact_row(before) END,
          CASE WHEN after IS NULL THEN NULL ELSE qhub_redact_row(after) END);
  RETURN NULL;
END
$$;
"""


def _primary_key(bind, table: str) -> list[str]:
    return list(
        bind.execute(
            sa.text(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a"
                " ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
                " WHERE i.indrelid = CAST(:t AS regclass) AND i.indisprimary ORDER BY a.attnum"
            ),
            {"t": table},
        ).scalars()
    )


def upgrade() -> None:
    op.create_table('write_change',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('request_key', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('clock_timestamp()'), nullable=False),
    sa.Column('table_name', sa.Text(), nullable=False),
    sa.Column('operation', sa.String(length=8), nullable=False),
    sa.Column('row_key', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('before', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('after', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_write_change'))
    )
    op.create_index('ix_write_change_request', 'write_change', ['request_key'], unique=False)
    op.execute(FUNCTIONS)
    bind = op.get_bind()
    for table in AUDITED:
        keys = ", ".join(f"'{k}'" for k in _primary_key(bind, table))
        op.execute(
            f"CREATE TRIGGER {table}_write_change AFTER INSERT OR UPDATE OR DELETE ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION qhub_capture_change({keys})"
        )


def downgrade() -> None:
    for table in AUDITED:
        op.execute(f"DROP TRIGGER {table}_write_change ON {table}")
    op.execute("DROP FUNCTION qhub_capture_change()")
    op.execute("DROP FUNCTION qhub_redact_row(jsonb)")
    op.drop_index('ix_write_change_request', table_name='write_change')
    op.drop_table('write_change')
