from auditlog.registry import auditlog

from news.models import Article

auditlog.register(
    Article, exclude_fields=["updated_at", "body_text"], m2m_fields={"organizations", "party_organizations"}
)
