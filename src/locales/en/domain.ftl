## Registration input (src/domain): IIN, teaching category, common passwords

error-iin-format = Enter your IIN as 12 digits, like 850101300124.
error-iin-date = Check the first 7 digits of your IIN: it starts with your date of birth, like 850101 for 1 January 1985.
error-iin-checksum = There is a mistake in your IIN. Check it against your identity card and enter it again.
error-password-common = Choose a less common password — this one is on a list of passwords attackers try first.

category-preschool = Preschool education
category-general = General secondary education
category-special = Special education
category-other = Other
error-category-invalid = Choose where you teach: preschool, general secondary or special education, or other.
