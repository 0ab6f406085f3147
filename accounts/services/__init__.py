from accounts.services.auth import (
    api_token_issue,
    user_code_resend,
    user_profile_complete,
    user_register_request,
    user_session_end,
    user_sign_in_request,
    user_sign_out_everywhere,
    user_sign_up_complete,
    user_verify_code,
    web_session_start,
)
from accounts.services.otp import one_time_code_deliver, one_time_code_mark_failed
from accounts.services.profile import (
    identity_change_request_create,
    identity_change_request_decide,
    user_profile_update,
)
from accounts.services.support import ticket_add_message, ticket_create, ticket_reply

__all__ = [
    "api_token_issue",
    "identity_change_request_create",
    "identity_change_request_decide",
    "one_time_code_deliver",
    "one_time_code_mark_failed",
    "ticket_add_message",
    "ticket_create",
    "ticket_reply",
    "user_code_resend",
    "user_profile_complete",
    "user_profile_update",
    "user_register_request",
    "user_session_end",
    "user_sign_in_request",
    "user_sign_out_everywhere",
    "user_sign_up_complete",
    "user_verify_code",
    "web_session_start",
]
