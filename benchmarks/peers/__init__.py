"""Peer engines, each as an adapter with ``build(ruleset) -> evaluator``.

Every evaluator's ``evaluate(answer)`` returns exactly what the workload's
``reference_eval(ruleset, answer)`` (``benchmarks/workload.py``) returns: ``[decision,
red_flag_id, soft_tissue_points, physio_points, score_rules_matched]``.
"""
