"""Shared pieces of the alliances demo: constants and the seeder state."""

import random
from datetime import date

from django.db.models import Q

from alliances.models import Alliance
from orgs.demo.scope import demo_committee
from orgs.models import Organization, Region
from orgs.querysets import in_region_q

SEED = 20160701
FLAGSHIP_NAME = "东湖街道阳光社工服务中心"
MEMBERS_PER_ALLIANCE = 8
REVIEWER_USERNAMES = ("admin", "district", "street")

# name, kind, name fragments of member organizations, description, programs, pairings
ALLIANCES = [
    (
        "示范区青年志愿专业联盟",
        "youth_volunteering",
        ("志愿者协会", "青少年成长", "青年创业"),
        "凝聚社会组织青年骨干，开展理想信念教育、春芽学堂启蒙培训和社会组织之星评选，建立动态人才库。",
        [
            ("春芽学堂", "面向社会组织青年骨干的启蒙培训与理想信念教育", 80000, 600),
            ("社会组织之星评选", "每年评选推介优秀社会组织青年人才，宣传先进典型", 30000, 90),
        ],
        [("示范区团委青年之家", "community", "组织青年志愿者参与社区服务", "提供培训场地与宣传渠道")],
    ),
    (
        "示范区社区服务专业联盟",
        "community_service",
        ("社工服务中心", "公益服务中心", "家庭教育指导"),
        "把各类民生服务项目一站式送到居民家门口，形成月月大篷车、季季作奉献、年年公益节的常态服务机制。",
        [
            ("月月大篷车", "每月一次把便民服务送进社区，全年覆盖各街道", 120000, 20000),
            ("年年公益节", "每年举办社区公益节，展示社会组织服务成果", 90000, 15000),
        ],
        [("示范区实验小学", "school", "为学生提供课后托管和志愿服务", "提供活动场地，组织学生参与公益")],
    ),
    (
        "示范区社会调处专业联盟",
        "social_mediation",
        ("法律服务中心", "心理咨询服务中心", "调解队"),
        "协同政府参与矛盾化解，提供法律咨询、劳动争议调解和信访接待，发挥第三方作用。",
        [
            ("法律咨询进社区", "律师和调解员定期驻点社区，提供免费法律咨询", 60000, 6485),
            ("劳动争议调解", "协助调解劳动争议，促进劳动关系和谐", 50000, 3161),
        ],
        [("示范区人民法院诉调对接中心", "other", "派驻调解员参与诉前调解", "业务指导与案件委托")],
    ),
    (
        "示范区公益慈善专业联盟",
        "public_charity",
        ("基金会", "爱心", "慈善"),
        "整合社会组织和社会各界资源，开展助学、助医、济困、救灾等慈善项目。",
        [
            ("春芽人才发展基金", "动员社会力量设立社会组织人才发展专项基金，资助人才培养", 500000, 300),
            ("爱飞翔·乡村教师培训", "组织乡村教师来城区培训交流，提升乡村教育水平", 200000, 1200),
        ],
        [("示范区瑞丰科技有限公司", "company", "策划公益项目并组织志愿者", "捐赠资金与电脑设备")],
    ),
    (
        "示范区为老服务专业联盟",
        "elderly_service",
        ("居家养老服务中心", "乐龄", "老年"),
        "对接医院、企业和事业单位，为居家养老服务中心、敬老院和困难老人提供服务。",
        [
            ("爱心苹果送老人", "向居家养老服务中心、敬老院和困难老人赠送爱心苹果", 80000, 7800),
            ("智慧养老试点", "探索社会组织参与智慧养老服务的新模式", 150000, 2000),
        ],
        [("示范区人民医院", "hospital", "组织志愿者陪诊、上门探访", "定期义诊和健康讲座")],
    ),
]
GRID_PAIRINGS = 436  # organizations paired with a community grid (Pinghu: grew from 30 to 436)
GRID_FIRST_BATCH = 30
GRID_MONTHS = 6
PAIRINGS = 103  # Jing'an: 103 units paired with the alliances
PARTNER_PLACES = ["示范区", "东湖", "钟埭", "曹桥", "当湖", "新埭", "新仓", "广陈", "林埭"]
PARTNER_UNITS = [
    ("hospital", "人民医院"), ("hospital", "中医院"), ("hospital", "社区卫生服务中心"),
    ("school", "实验小学"), ("school", "中学"), ("school", "幼儿园"), ("school", "职业技术学校"),
    ("company", "建设集团有限公司"), ("company", "农商银行支行"), ("company", "供电公司"),
    ("company", "电子科技有限公司"), ("company", "物业服务有限公司"),
    ("community", "社区居委会"), ("other", "派出所"), ("other", "司法所"), ("other", "图书馆"),
]  # fmt: skip


class Seeder:
    def __init__(self, district: Region, today: date):
        self.rng = random.Random(SEED)  # noqa: S311  (demo data, not secrets)
        self.district = district
        self.today = today
        self.created = {"alliances": 0, "programs": 0, "pairings": 0, "grid_pairings": 0, "rounds": 0}
        self.committee = demo_committee(district)
        self.orgs = Organization.objects.in_region(district).active()

    def alliances(self):
        return Alliance.objects.filter(in_region_q(self.district, "lead_organization__region__"))

    def members_for(self, fragments) -> list[Organization]:
        query = Q()
        for fragment in fragments:
            query |= Q(name__contains=fragment)
        return list(self.orgs.filter(query).order_by("pk")[:MEMBERS_PER_ALLIANCE])
