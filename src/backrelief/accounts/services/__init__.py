"""Every state change in accounts, split by concept (STYLE.md rule 9):

- `auth`     sign-up, email verification, login with lockout, password change and reset, profile
- `sessions` browser-session registry, expiry, "sign out everywhere"
- `mfa`      TOTP two-factor authentication and recovery codes
- `tokens`   personal access tokens for the API
- `consent`  giving, withdrawing and checking consent
"""
