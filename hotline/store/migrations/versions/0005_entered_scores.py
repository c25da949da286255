"""entered scores for any subject: table entered_scores; county_assessments' entered columns moved into it

Why one table: a scheme's `entered.*` input is a score the office enters, for a county or a unit; four of
them used to be columns of county_assessments (county only, fixed names), and a unit's could not be entered
at all. The four columns' values move into entered_scores (same month and platform, input entered.<name>),
so county_assessments keeps only the province's figures. Downgrade moves them back; unit scores and
inputs other than the four have no place in the old schema and are dropped then.

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# the old column of county_assessments → the input name schemes read it by
MOVED = {
    'data_accuracy_score': 'entered.data_accuracy',
    'dispatch_on_time_score': 'entered.dispatch_on_time',
    'dispatch_contact_score': 'entered.dispatch_contact',
    'dispatch_satisfaction_score': 'entered.dispatch_satisfaction',
}
COMMENTS = {
    'data_accuracy_score': '数据准确度得分（录入）',
    'dispatch_on_time_score': '交办工单 按时办结率 得分（录入）',
    'dispatch_contact_score': '交办工单 联系反馈当事人率 得分（录入）',
    'dispatch_satisfaction_score': '交办工单 回访满意率 得分（录入）',
}


def upgrade() -> None:
    op.create_table('entered_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False, comment='考核月份 YYYY-MM'),
    sa.Column('platform', sa.String(length=32), nullable=True, comment='被考核的县级平台（县级方案）'),
    sa.Column('unit_id', sa.Integer(), nullable=True, comment='被考核的承办单位（单位方案）'),
    sa.Column('input', sa.String(length=64), nullable=False, comment='方案中的录入项名称（entered.*）'),
    sa.Column('score', sa.Float(), nullable=False, comment='录入得分'),
    sa.Column('note', sa.Text(), nullable=True, comment='说明（如扣分理由）'),
    sa.Column('entered_by', sa.String(length=64), nullable=False, comment='录入人'),
    sa.Column('entered_at', sa.DateTime(), nullable=False, comment='录入时间'),
    sa.CheckConstraint('(platform IS NULL) <> (unit_id IS NULL)', name=op.f('ck_entered_scores_one_subject')),
    sa.ForeignKeyConstraint(['platform'], ['platforms.code'], name=op.f('fk_entered_scores_platform_platforms')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_entered_scores_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entered_scores')),
    sa.UniqueConstraint('month', 'platform', 'input', name=op.f('uq_entered_scores_month_platform_input')),
    sa.UniqueConstraint('month', 'unit_id', 'input', name=op.f('uq_entered_scores_month_unit_id_input'))
    )
    for column, name in MOVED.items():
        op.execute(sa.text(
            'INSERT INTO entered_scores (month, platform, unit_id, input, score, note, entered_by, entered_at) '
            f'SELECT month, platform, NULL, :name, {column}, :note, :by, CURRENT_TIMESTAMP '
            f'FROM county_assessments WHERE {column} IS NOT NULL'
        ).bindparams(name=name, note=f'自 county_assessments.{column} 迁移', by='migration-0005'))
    with op.batch_alter_table('county_assessments', schema=None) as batch_op:
        for column in MOVED:
            batch_op.drop_column(column)


def downgrade() -> None:
    with op.batch_alter_table('county_assessments', schema=None) as batch_op:
        for column in MOVED:
            batch_op.add_column(sa.Column(column, sa.Float(), nullable=True, comment=COMMENTS[column]))
    inputs = ', '.join(f"'{name}'" for name in MOVED.values())
    op.execute(sa.text(  # a county month with entered scores but no provincial figures gets a row of its own
        'INSERT INTO county_assessments (platform, month) SELECT DISTINCT platform, month FROM entered_scores e '
        f'WHERE e.platform IS NOT NULL AND e.input IN ({inputs}) AND NOT EXISTS (SELECT 1 FROM county_assessments c '
        'WHERE c.platform = e.platform AND c.month = e.month)'))
    for column, name in MOVED.items():
        op.execute(sa.text(
            f'UPDATE county_assessments SET {column} = (SELECT e.score FROM entered_scores e '
            'WHERE e.platform = county_assessments.platform AND e.month = county_assessments.month '
            'AND e.input = :name)').bindparams(name=name))
    op.drop_table('entered_scores')
