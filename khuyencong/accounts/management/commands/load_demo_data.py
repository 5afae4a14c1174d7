"""Create the demo organisations and one account per role (idempotent), then print the logins."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from khuyencong.accounts.demo import load_demo_data
from khuyencong.accounts.models import User
from khuyencong.core.scoping import user_scope


class Command(BaseCommand):
    help = "Load the demo organisations and accounts and print the logins."

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("vi")
        logins = load_demo_data()
        self.stdout.write("")
        self.stdout.write(f"Tài khoản minh họa (mật khẩu chung: {logins[0]['password']})")
        for login in logins:
            user = User.objects.select_related("scope_province").get(username=login["username"])
            scope = user_scope(user).label
            line = f"  {login['username']:<18} {login['role']:<28} phạm vi: {scope}"
            if login["two_factor"]:
                line += f"  [2FA: make otp USER={login['username']}]"
            self.stdout.write(line)
        self.stdout.write("")
