"""Two-factor login (TOTP with recovery codes) on django-otp.

Required for superusers and district/street staff; optional for secretaries and org contacts,
and required for them too once they have enrolled a device. After the password, a session that
needs the second factor is good for nothing but the second factor (middleware.OTPRequiredMiddleware)
until a code is entered (views.verify); a user without a device enrols first (views.enrol: a QR code
drawn locally by segno, and recovery codes). Works offline: TOTP needs only the clock.
"""
