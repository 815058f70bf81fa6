from alliances.models.alliance import (
    Alliance,
    AllianceKind,
    AllianceMembership,
    Program,
    ProgramMilestone,
    ProgramProgress,
)
from alliances.models.applications import (
    BudgetLine,
    FinalEvaluation,
    ProjectMilestone,
    Review,
    ReviewScore,
    VentureApplication,
)
from alliances.models.pairings import GridPairing, GridServiceRecord, Pairing, PairingActivity
from alliances.models.rounds import ReviewCriterion, RoundReviewer, VentureRound

__all__ = [
    "Alliance",
    "AllianceKind",
    "AllianceMembership",
    "BudgetLine",
    "FinalEvaluation",
    "GridPairing",
    "GridServiceRecord",
    "Pairing",
    "PairingActivity",
    "Program",
    "ProgramMilestone",
    "ProgramProgress",
    "ProjectMilestone",
    "Review",
    "ReviewCriterion",
    "ReviewScore",
    "RoundReviewer",
    "VentureApplication",
    "VentureRound",
]
