from django.urls import path

from backrelief.accounts.views import auth, consent, mfa, profile, sessions, tokens

app_name = "accounts"
urlpatterns = [
    # auth (sign-up, verification, login, password)
    path("signup/", auth.signup, name="signup"),
    path("signup/done/", auth.signup_done, name="signup_done"),
    path("verify/<str:token>/", auth.verify_email, name="verify_email"),
    path("verify-resend/", auth.verify_resend, name="verify_resend"),
    path("login/", auth.login_view, name="login"),
    path("login/two-factor/", mfa.login_mfa, name="login_mfa"),
    path("logout/", auth.logout_view, name="logout"),
    path("password/change/", auth.password_change, name="password_change"),
    path("password/reset/", auth.password_reset, name="password_reset"),
    path("password/reset/sent/", auth.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<str:uidb64>/<str:token>/",
        auth.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password/reset/complete/", auth.password_reset_complete, name="password_reset_complete"),
    # profile
    path("profile/", profile.profile, name="profile"),
    # sessions
    path("sessions/", sessions.session_list, name="sessions"),
    path("sessions/<uuid:session_id>/end/", sessions.end_session, name="session_end"),
    path("sessions/end-all/", sessions.end_all_sessions, name="sessions_end_all"),
    # two-factor
    path("two-factor/", mfa.mfa_setup, name="mfa_setup"),
    path("two-factor/recovery-codes/", mfa.recovery_codes, name="mfa_recovery_codes"),
    path("two-factor/disable/", mfa.mfa_disable, name="mfa_disable"),
    # personal access tokens
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<uuid:token_id>/revoke/", tokens.revoke_token, name="token_revoke"),
    # consent
    path("consent/", consent.consent_page, name="consent"),
    path("consent/<uuid:consent_id>/withdraw/", consent.withdraw_consent, name="consent_withdraw"),
]
