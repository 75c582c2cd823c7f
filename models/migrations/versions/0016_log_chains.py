"""log chains: the access log as several hash chains, one per appending instance (issue 18)

The existing log becomes chain ``main`` (its entries numbered in id order; hashes are
unchanged: the chain and the position are not part of an entry's hash). ``access_chain``
holds each chain's head and lease; ``qhub_claim_chain`` gives an appender a chain in one
round trip.

Revision ID: 0016_log_chains
Revises: 0015_scale_out
"""
from alembic import op
import sqlalchemy as sa

revision = '0016_log_chains'
down_revision = '0015_scale_out'
branch_labels = None
depends_on = None

NO_DELETE = """
CREATE FUNCTION access_chain_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'access_chain: % no está permitido (las cadenas no se borran)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER access_chain_no_delete BEFORE DELETE ON access_chain
    FOR EACH ROW EXECUTE FUNCTION access_chain_no_delete();
CREATE TRIGGER access_chain_no_truncate BEFORE TRUNCATE ON access_chain
    FOR EACH STATEMENT EXECUTE FUNCTION access_chain_no_delete();
REVOKE DELETE, TRUNCATE ON access_chain FROM PUBLIC;
"""

# A chain for ``owner``, its row locked until the caller's transaction ends: one it holds
# that none of its other transactions is using; else one whose lease ran out (an instance
# that died or froze: taken over, never shared, since the row lock and the head's
# compare-and-set admit one appender); else a new chain. SKIP LOCKED: nobody waits.
CLAIM = """
CREATE FUNCTION qhub_claim_chain(p_owner text, p_lease interval, p_new_id text,
                                 p_genesis bytea)
RETURNS TABLE (chain_id text, entries bigint, head_hash bytea)
LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY UPDATE access_chain c SET lease_until = now() + p_lease
        WHERE c.chain_id = (SELECT a.chain_id FROM access_chain a
                            WHERE a.lease_owner = p_owner AND a.lease_until > now()
                            ORDER BY a.chain_id LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING c.chain_id, c.entries, c.head_hash;
    IF FOUND THEN RETURN; END IF;
    RETURN QUERY UPDATE access_chain c
        SET lease_owner = p_owner, lease_until = now() + p_lease, taken_over_at = now()
        WHERE c.chain_id = (SELECT a.chain_id FROM access_chain a
                            WHERE a.lease_until <= now()
                            ORDER BY a.lease_until, a.chain_id LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING c.chain_id, c.entries, c.head_hash;
    IF FOUND THEN RETURN; END IF;
    RETURN QUERY INSERT INTO access_chain AS c (chain_id, head_hash, lease_owner, lease_until)
        VALUES (p_new_id, p_genesis, p_owner, now() + p_lease)
        RETURNING c.chain_id, c.entries, c.head_hash;
END
$$;
"""


def upgrade() -> None:
    op.create_table('access_chain',
    sa.Column('chain_id', sa.Text(), nullable=False),
    sa.Column('entries', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('head_hash', sa.LargeBinary(), nullable=False),
    sa.Column('lease_owner', sa.Text(), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), server_default=sa.text("'-infinity'"), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('taken_over_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('chain_id', name=op.f('pk_access_chain'))
    )
    op.execute(NO_DELETE)
    op.execute(CLAIM)
    op.add_column('access_log', sa.Column('chain', sa.Text(), nullable=True))
    op.add_column('access_log', sa.Column('seq', sa.BigInteger(), nullable=True))
    # The append-only trigger refuses UPDATE: lifted for this one numbering, in this
    # transaction, and put back before it commits.
    op.execute("ALTER TABLE access_log DISABLE TRIGGER access_log_no_update_delete")
    op.execute(
        "UPDATE access_log l SET chain = 'main', seq = n.seq"
        " FROM (SELECT id, row_number() OVER (ORDER BY id) AS seq FROM access_log) n"
        " WHERE l.id = n.id"
    )
    op.execute("ALTER TABLE access_log ENABLE TRIGGER access_log_no_update_delete")
    op.alter_column('access_log', 'chain', nullable=False)
    op.alter_column('access_log', 'seq', nullable=False)
    op.create_index('ix_access_log_chain_seq', 'access_log', ['chain', 'seq'], unique=True)
    # The existing chain, free for the first instance to lease.
    op.execute(
        "INSERT INTO access_chain (chain_id, entries, head_hash)"
        " SELECT 'main', count(*), coalesce((SELECT entry_hash FROM access_log"
        " ORDER BY id DESC LIMIT 1), decode(repeat('00', 32), 'hex')) FROM access_log"
    )


def downgrade() -> None:
    op.drop_index('ix_access_log_chain_seq', table_name='access_log')
    op.drop_column('access_log', 'seq')
    op.drop_column('access_log', 'chain')
    op.execute("DROP FUNCTION qhub_claim_chain(text, interval, text, bytea)")
    op.execute("DROP TABLE access_chain")
    op.execute("DROP FUNCTION access_chain_no_delete()")
