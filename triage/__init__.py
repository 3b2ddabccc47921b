"""triage: choose between soft tissue therapy, physiotherapy, both, or a doctor first."""

__version__ = "0.1.0"
