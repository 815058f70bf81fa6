from django.urls import path

from accounts.two_factor import views as two_factor
from accounts.views import auth

app_name = "accounts"
urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("password/", auth.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("otp/", two_factor.manage, name="otp_manage"),
    path("otp/verify/", two_factor.verify, name="otp_verify"),
    path("otp/enrol/", two_factor.enrol, name="otp_enrol"),
    path("otp/recovery-codes/", two_factor.recovery_codes, name="otp_recovery_codes"),
]
