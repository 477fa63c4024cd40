"""The portal's account forms: its sign-in, the back office's, and the password forms."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UsernameField,
)
from django.db.models import Q

USERNAME_MOST = 254  # as long as an email address can be


def account_username(typed):
    """The username of the one account that `typed` names, by its username in any case or by its
    email address; `typed` itself when it names none, or several."""
    named = list(
        get_user_model()
        .objects.filter(Q(username__iexact=typed) | Q(email__iexact=typed))
        .values_list("username", flat=True)[:2]
    )
    if typed in named or len(named) != 1:
        return typed
    return named[0]


class SignInForm(AuthenticationForm):
    """Django's sign-in, taking the account's email address, or its username however it is
    capitalised. The account's own username is what is checked, so django-axes counts every
    failed try at one account together, however it was typed."""

    username = UsernameField(
        label="Username or email address",
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
        error_messages={"required": "Enter your username or email address."},
    )
    error_messages = {
        "invalid_login": "The username or email address, or the password, is not right. Check them and try again.",
        "inactive": "This account is switched off. Ask the programme office to switch it on again.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Long enough for an email address (Django gives the box a username's 150); as in Django's
        # form, longer text is not refused by the form, and fails to sign in.
        self.fields["username"].widget.attrs["maxlength"] = USERNAME_MOST
        self.fields["password"].error_messages["required"] = "Enter your password."

    def clean(self):
        typed = self.cleaned_data.get("username")
        if typed and len(typed) <= USERNAME_MOST:  # longer names no account, and SQLite would refuse the lookup
            self.cleaned_data["username"] = account_username(typed)
        return super().clean()


class BackOfficeSignInForm(SignInForm, AdminAuthenticationForm):
    """The back office's sign-in: the portal's, for staff accounts only, as Django's admin has it."""

    error_messages = {
        **SignInForm.error_messages,
        "invalid_login": "The username or email address, or the password, is not right for a staff account. "
        "Check them and try again.",
    }

    def confirm_login_allowed(self, user):
        """An evaluator who gives their own password here is told where they sign in (the
        password was right, so this says nothing the portal's own sign-in would not)."""
        from evaluations.roles import is_evaluator  # the evaluations app is loaded after this module

        if user.is_active and not user.is_staff and is_evaluator(user):
            raise forms.ValidationError(
                "This account is an evaluator’s, and the back office is for programme officers. Evaluators sign "
                "in at the portal’s own sign-in page, linked below.",
                code="not_staff",
            )
        super().confirm_login_allowed(user)


NEW_PASSWORD_WORDS = {
    "new_password1": ("New password", "Enter a new password.", None),
    "new_password2": (
        "Confirm the new password",
        "Enter the new password again.",
        "Type the same password again, to be sure it is the one you meant.",
    ),
}


def _in_plain_words(form, words):
    """Each field's label, its message when left empty and, where given, its hint."""
    for name, (label, required, hint) in words.items():
        form.fields[name].label = label
        form.fields[name].error_messages["required"] = required
        if hint is not None:
            form.fields[name].help_text = hint


class RulesOfTheNewPassword:
    """A new password that breaks a rule (too short, too common) is told so by its own box, where
    Django tells it by the box that repeats it; two boxes that differ are told by the second."""

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        return self.cleaned_data


class NewPasswordForm(RulesOfTheNewPassword, SetPasswordForm):
    """Django's choice of a new password after a reset, in plain words."""

    error_messages = {
        **SetPasswordForm.error_messages,
        "password_mismatch": "The two passwords are not the same. Type the new password in both boxes again.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _in_plain_words(self, NEW_PASSWORD_WORDS)


class ChangePasswordForm(RulesOfTheNewPassword, PasswordChangeForm):
    """Django's change of password, in plain words."""

    error_messages = {
        **NewPasswordForm.error_messages,
        "password_incorrect": "Your current password is not right. Enter it again.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _in_plain_words(
            self, {"old_password": ("Current password", "Enter your current password.", None), **NEW_PASSWORD_WORDS}
        )


class ResetRequestForm(PasswordResetForm):
    """Django's request for a password reset email, in plain words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Email address"
        self.fields["email"].error_messages |= {
            "required": "Enter the email address of your account.",
            "invalid": "Enter an email address in the correct format, like name@example.org.",
        }
