"""events that close a ticket without handling it: cancel (撤销) and refer_out (转出)

Revision ID: 0004
Revises: 0003
"""
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

KINDS = ('accept', 'resolve_online', 'dispatch', 'sign', 'return_request', 'return', 'return_refused', 'reassign',
         'extension_request', 'extension_approved', 'extension_refused', 'feedback', 'complete', 'contact',
         'reminder', 'visit', 'reopen', 'archive')


def _kinds(kinds: tuple[str, ...]) -> str:
    return f"kind IN ({', '.join(repr(k) for k in kinds)})"


def upgrade() -> None:
    with op.batch_alter_table('ticket_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_ticket_events_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_ticket_events_kind'), _kinds(KINDS + ('cancel', 'refer_out')))


def downgrade() -> None:
    with op.batch_alter_table('ticket_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_ticket_events_kind'), type_='check')
        batch_op.create_check_constraint(batch_op.f('ck_ticket_events_kind'), _kinds(KINDS))
