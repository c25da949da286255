"""work-order service: ticket versions (optimistic locking), raw contacts, users, API tokens, audit log

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False, comment='登录名'),
    sa.Column('display_name', sa.String(length=64), nullable=False, comment='姓名'),
    sa.Column('role', sa.String(length=16), nullable=False, comment='角色'),
    sa.Column('unit_id', sa.Integer(), nullable=True, comment='所属承办单位（联络员必填）'),
    sa.Column('active', sa.Boolean(), nullable=False, comment='是否启用'),
    sa.Column('created_at', sa.DateTime(), nullable=False, comment='创建时间'),
    sa.CheckConstraint("role <> 'liaison' OR unit_id IS NOT NULL", name=op.f('ck_users_liaison_unit')),
    sa.CheckConstraint("role IN ('operator', 'liaison', 'analyst', 'admin')", name=op.f('ck_users_role')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_users_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False, comment='令牌的 SHA-256 摘要'),
    sa.Column('label', sa.String(length=64), nullable=True, comment='用途说明'),
    sa.Column('created_at', sa.DateTime(), nullable=False, comment='签发时间'),
    sa.Column('revoked_at', sa.DateTime(), nullable=True, comment='吊销时间'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False, comment='发生时间'),
    sa.Column('user_id', sa.Integer(), nullable=True, comment='操作用户'),
    sa.Column('actor', sa.String(length=64), nullable=False, comment='操作人'),
    sa.Column('action', sa.String(length=48), nullable=False, comment='操作'),
    sa.Column('entity', sa.String(length=32), nullable=False, comment='对象类型'),
    sa.Column('entity_id', sa.String(length=32), nullable=True, comment='对象 ID'),
    sa.Column('detail', sa.Text(), nullable=True, comment='变更内容（JSON）'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_log_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_at', ['at'], unique=False)
        batch_op.create_index('ix_audit_log_entity', ['entity', 'entity_id'], unique=False)

    op.create_table('ticket_contacts',
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=True, comment='来电人完整联系电话'),
    sa.Column('id_number', sa.String(length=18), nullable=True, comment='来电人身份证号码'),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_contacts_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('ticket_id', name=op.f('pk_ticket_contacts'))
    )
    op.create_table('ticket_versions',
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False, comment='乐观锁版本号（每次流转加 1）'),
    sa.Column('updated_at', sa.DateTime(), nullable=False, comment='最近流转时间'),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=op.f('fk_ticket_versions_ticket_id_tickets')),
    sa.PrimaryKeyConstraint('ticket_id', name=op.f('pk_ticket_versions'))
    )


def downgrade() -> None:
    op.drop_table('ticket_versions')
    op.drop_table('ticket_contacts')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_entity')
        batch_op.drop_index('ix_audit_log_at')
    op.drop_table('audit_log')
    op.drop_table('api_tokens')
    op.drop_table('users')
