from core.models import AuditLog


def audit_record(*, actor, action: str, target, data: dict | None = None) -> AuditLog:
    return AuditLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        data=data or {},
    )
