"""case work: online pre-registration requests, appointment slots and bookings,
case assignments, priorities and rule versions,
biometric enrolments, possible duplicates, webhook subscriptions and outbox,
eligibility (interviews, assessments, decisions, appeals)

Revision ID: 0003_casework
Revises: 0002_access
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

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
    op.create_table('appointment_slot',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('minutes', sa.Integer(), server_default='30', nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('purpose', sa.String(length=32), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('booked', sa.Integer(), server_default='0', nullable=False),
    sa.CheckConstraint('booked >= 0 AND booked <= capacity', name=op.f('ck_appointment_slot_within_capacity')),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_appointment_slot_capacity_positive')),
    sa.CheckConstraint("mode IN ('in_person', 'remote')", name=op.f('ck_appointment_slot_mode')),
    sa.CheckConstraint("purpose IN ('registration_interview', 'biometric_enrolment', 'card_pickup', 'eligibility_interview')", name=op.f('ck_appointment_slot_purpose')),
    sa.ForeignKeyConstraint(['office_id'], ['office.id'], name=op.f('fk_appointment_slot_office_id_office')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_appointment_slot')),
    sa.UniqueConstraint('office_id', 'starts_at', 'mode', 'purpose', name=op.f('uq_appointment_slot_office_id_starts_at_mode_purpose')),
    )
    op.create_index(op.f('ix_appointment_slot_office_id'), 'appointment_slot', ['office_id'], unique=False)
    op.create_table('slot_booking',
    sa.Column('appointment_id', sa.BigInteger(), nullable=False),
    sa.Column('slot_id', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['appointment_id'], ['appointment.id'], name=op.f('fk_slot_booking_appointment_id_appointment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['appointment_slot.id'], name=op.f('fk_slot_booking_slot_id_appointment_slot')),
    sa.PrimaryKeyConstraint('appointment_id', name=op.f('pk_slot_booking')),
    )
    op.create_index(op.f('ix_slot_booking_slot_id'), 'slot_booking', ['slot_id'], unique=False)

    op.create_table('case_assignment',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('case_id', sa.BigInteger(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('previous_officer_id', sa.Integer(), nullable=True),
    sa.Column('rule_version', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('actor', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_assignment_case_id_case_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_case_assignment_officer_id_officer')),
    sa.ForeignKeyConstraint(['previous_officer_id'], ['officer.id'], name=op.f('fk_case_assignment_previous_officer_id_officer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_assignment')),
    )
    op.create_index(op.f('ix_case_assignment_case_id'), 'case_assignment', ['case_id'], unique=False)
    op.create_index(op.f('ix_case_assignment_officer_id'), 'case_assignment', ['officer_id'], unique=False)

    op.create_table('priority_rule_set',
    sa.Column('version', sa.String(length=32), nullable=False),
    sa.Column('rules', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('active', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('created_by', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('version', name=op.f('pk_priority_rule_set')),
    )
    op.create_table('case_priority',
    sa.Column('case_id', sa.BigInteger(), nullable=False),
    sa.Column('score', sa.Numeric(precision=8, scale=2), nullable=False),
    sa.Column('rule_version', sa.String(length=32), nullable=False),
    sa.Column('reasons', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('override_score', sa.Numeric(precision=8, scale=2), nullable=True),
    sa.Column('override_reason', sa.Text(), nullable=True),
    sa.Column('override_by', sa.Text(), nullable=True),
    sa.Column('override_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_priority_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_priority')),
    )

    op.create_table('biometric_enrolment',
    sa.Column('person_id', sa.BigInteger(), nullable=False),
    sa.Column('matcher', sa.String(length=32), nullable=False),
    sa.Column('template_ref', sa.String(length=64), nullable=False),
    sa.Column('enrolled_by', sa.Text(), nullable=False),
    sa.Column('enrolled_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_biometric_enrolment_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_biometric_enrolment')),
    sa.UniqueConstraint('template_ref', name=op.f('uq_biometric_enrolment_template_ref')),
    )
    op.create_table('local_biometric_template',
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('person_id', sa.BigInteger(), nullable=False),
    sa.Column('fingerprint', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_local_biometric_template_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('reference', name=op.f('pk_local_biometric_template')),
    )
    op.create_index(op.f('ix_local_biometric_template_person_id'), 'local_biometric_template', ['person_id'], unique=False)
    op.create_table('possible_duplicate',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('person_id', sa.BigInteger(), nullable=False),
    sa.Column('matched_person_id', sa.BigInteger(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('status', sa.String(length=16), server_default='open', nullable=False),
    sa.Column('raised_by', sa.Text(), nullable=False),
    sa.Column('raised_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('open', 'duplicate', 'distinct')", name=op.f('ck_possible_duplicate_status')),
    sa.ForeignKeyConstraint(['matched_person_id'], ['person.id'], name=op.f('fk_possible_duplicate_matched_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_possible_duplicate_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_possible_duplicate')),
    sa.UniqueConstraint('person_id', 'matched_person_id', name=op.f('uq_possible_duplicate_person_id_matched_person_id')),
    )

    op.create_table('agency_subscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency', sa.String(length=16), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('secret', sa.Text(), nullable=False),
    sa.Column('events', postgresql.ARRAY(sa.Text()), server_default='{protection_status_changed}', nullable=False),
    sa.Column('active', sa.Boolean(), server_default='true', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency_subscription')),
    )
    op.create_table('notification_outbox',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.BigInteger(), nullable=True),
    sa.Column('payload', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('dead_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_notification_outbox_case_id_case_file'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['subscription_id'], ['agency_subscription.id'], name=op.f('fk_notification_outbox_subscription_id_agency_subscription'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_outbox')),
    )
    op.create_index('ix_notification_outbox_due', 'notification_outbox', ['next_attempt_at'], unique=False, postgresql_where=sa.text('delivered_at IS NULL AND dead_at IS NULL'))

    op.create_table('interview_record',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('case_id', sa.BigInteger(), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('held_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('interpreter', sa.Boolean(), server_default='false', nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('interviewer', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("mode IN ('in_person', 'remote')", name=op.f('ck_interview_record_mode')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_interview_record_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interview_record')),
    )
    op.create_index(op.f('ix_interview_record_case_id'), 'interview_record', ['case_id'], unique=False)
    op.create_table('eligibility_assessment',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('case_id', sa.BigInteger(), nullable=False),
    sa.Column('grounds', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('credibility', sa.Text(), nullable=False),
    sa.Column('analysis', sa.Text(), nullable=False),
    sa.Column('recommendation', sa.String(length=16), nullable=False),
    sa.Column('assessor', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("recommendation IN ('recognise', 'reject')", name=op.f('ck_eligibility_assessment_recommendation')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_eligibility_assessment_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eligibility_assessment')),
    )
    op.create_index(op.f('ix_eligibility_assessment_case_id'), 'eligibility_assessment', ['case_id'], unique=False)
    op.create_table('case_decision',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('case_id', sa.BigInteger(), nullable=False),
    sa.Column('instance', sa.String(length=8), nullable=False),
    sa.Column('outcome', sa.String(length=24), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.Text(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("instance IN ('first', 'appeal')", name=op.f('ck_case_decision_instance')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_decision_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_decision')),
    )
    op.create_index(op.f('ix_case_decision_case_id'), 'case_decision', ['case_id'], unique=False)
    op.create_table('claim_appeal',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('case_id', sa.BigInteger(), nullable=False),
    sa.Column('grounds', sa.Text(), nullable=False),
    sa.Column('filed_by', sa.Text(), nullable=False),
    sa.Column('filed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_claim_appeal_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_appeal')),
    )
    op.create_index(op.f('ix_claim_appeal_case_id'), 'claim_appeal', ['case_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_claim_appeal_case_id'), table_name='claim_appeal')
    op.drop_table('claim_appeal')
    op.drop_index(op.f('ix_case_decision_case_id'), table_name='case_decision')
    op.drop_table('case_decision')
    op.drop_index(op.f('ix_eligibility_assessment_case_id'), table_name='eligibility_assessment')
    op.drop_table('eligibility_assessment')
    op.drop_index(op.f('ix_interview_record_case_id'), table_name='interview_record')
    op.drop_table('interview_record')
    op.drop_index('ix_notification_outbox_due', table_name='notification_outbox', postgresql_where=sa.text('delivered_at IS NULL AND dead_at IS NULL'))
    op.drop_table('notification_outbox')
    op.drop_table('agency_subscription')
    op.drop_table('possible_duplicate')
    op.drop_index(op.f('ix_local_biometric_template_person_id'), table_name='local_biometric_template')
    op.drop_table('local_biometric_template')
    op.drop_table('biometric_enrolment')
    op.drop_table('case_priority')
    op.drop_table('priority_rule_set')
    op.drop_index(op.f('ix_case_assignment_officer_id'), table_name='case_assignment')
    op.drop_index(op.f('ix_case_assignment_case_id'), table_name='case_assignment')
    op.drop_table('case_assignment')
    op.drop_index(op.f('ix_slot_booking_slot_id'), table_name='slot_booking')
    op.drop_table('slot_booking')
    op.drop_index(op.f('ix_appointment_slot_office_id'), table_name='appointment_slot')
    op.drop_table('appointment_slot')
    op.drop_table('pre_registration_request')
