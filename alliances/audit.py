from auditlog.registry import auditlog

from alliances.models import (
    Alliance,
    AllianceMembership,
    FinalEvaluation,
    GridPairing,
    Pairing,
    Program,
    ProjectMilestone,
    ReviewCriterion,
    RoundReviewer,
    VentureApplication,
    VentureRound,
)

auditlog.register(Alliance, exclude_fields=["updated_at"])
auditlog.register(AllianceMembership)
auditlog.register(Program)
auditlog.register(Pairing)
auditlog.register(GridPairing)
auditlog.register(VentureRound, exclude_fields=["updated_at"])
auditlog.register(ReviewCriterion)
auditlog.register(RoundReviewer)
auditlog.register(VentureApplication)
auditlog.register(ProjectMilestone)
auditlog.register(FinalEvaluation)
