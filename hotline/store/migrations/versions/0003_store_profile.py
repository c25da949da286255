"""the store's city profile; ticket numbers up to 64 characters; channels open to a profile's own

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('store_profile',
    sa.Column('id', sa.Integer(), nullable=False, comment='行号（恒为 1）'),
    sa.Column('name', sa.String(length=64), nullable=False, comment='配置名称'),
    sa.Column('city', sa.String(length=64), nullable=False, comment='城市'),
    sa.Column('document', sa.Text(), nullable=False, comment='城市配置（JSON）'),
    sa.Column('loaded_at', sa.DateTime(), nullable=False, comment='写入时间'),
    sa.CheckConstraint('id = 1', name=op.f('ck_store_profile_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_store_profile'))
    )
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_tickets_channel'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_tickets_ticket_no_len'), type_='check')
        batch_op.alter_column('ticket_no', existing_type=sa.String(length=14), type_=sa.String(length=64),
                              comment='事件编号（格式见城市配置）', existing_comment='事件编号（14 位）',
                              existing_nullable=False)
        batch_op.alter_column('channel', existing_type=sa.String(length=16), type_=sa.String(length=32),
                              existing_comment='受理渠道', existing_nullable=False)
        batch_op.create_check_constraint(batch_op.f('ck_tickets_ticket_no_len'), 'length(ticket_no) BETWEEN 1 AND 64')
    with op.batch_alter_table('spot_checks', schema=None) as batch_op:
        batch_op.alter_column('ticket_no', existing_type=sa.String(length=14), type_=sa.String(length=64),
                              existing_comment='事件编号', existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('spot_checks', schema=None) as batch_op:
        batch_op.alter_column('ticket_no', existing_type=sa.String(length=64), type_=sa.String(length=14),
                              existing_comment='事件编号', existing_nullable=False)
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_tickets_ticket_no_len'), type_='check')
        batch_op.alter_column('channel', existing_type=sa.String(length=32), type_=sa.String(length=16),
                              existing_comment='受理渠道', existing_nullable=False)
        batch_op.alter_column('ticket_no', existing_type=sa.String(length=64), type_=sa.String(length=14),
                              comment='事件编号（14 位）', existing_comment='事件编号（格式见城市配置）',
                              existing_nullable=False)
        batch_op.create_check_constraint(batch_op.f('ck_tickets_ticket_no_len'), 'length(ticket_no) = 14')
        batch_op.create_check_constraint(batch_op.f('ck_tickets_channel'),
                                         "channel IN ('phone', 'web', 'wechat', 'app', 'mailbox')")
    op.drop_table('store_profile')
