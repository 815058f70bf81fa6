from events.models.appraisals import Appraisal, AppraisalFollowUp, AppraisalResult
from events.models.classes import PartyClass, PartyClassSession, PartyClassTrainee
from events.models.events import PARTY_KINDS, Attendance, Event, EventPhoto, PartyGroup
from events.models.points import CharityItem, CharitySupermarket, PointEntry, Volunteer
from events.models.signups import SignUp
from events.models.venues import HOLDING_STATUSES, Booking, Room, ServiceCenter

__all__ = [
    "HOLDING_STATUSES",
    "PARTY_KINDS",
    "Appraisal",
    "AppraisalFollowUp",
    "AppraisalResult",
    "Attendance",
    "Booking",
    "CharityItem",
    "CharitySupermarket",
    "Event",
    "EventPhoto",
    "PartyClass",
    "PartyClassSession",
    "PartyClassTrainee",
    "PartyGroup",
    "PointEntry",
    "Room",
    "ServiceCenter",
    "SignUp",
    "Volunteer",
]
