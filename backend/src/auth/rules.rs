//! The contract's field rules for accounts, as plain functions.

pub const USERNAME_CHARS: std::ops::RangeInclusive<usize> = 3..=32;
pub const PASSWORD_CHARS: std::ops::RangeInclusive<usize> = 8..=128;
const EMAIL_MAX_CHARS: usize = 254;

/// Usernames are case-insensitive: `ALICE` is `alice`.
pub fn normalize_username(raw: &str) -> String {
    raw.to_lowercase()
}

pub fn check_username(username: &str) -> Result<(), String> {
    let len = username.chars().count();
    if !USERNAME_CHARS.contains(&len) {
        return Err(format!(
            "must be {} to {} characters",
            USERNAME_CHARS.start(),
            USERNAME_CHARS.end()
        ));
    }
    if !username
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-'))
    {
        return Err("may contain only letters a-z, digits, '_', '.' and '-'".into());
    }
    Ok(())
}

/// One `@`, a non-empty local part, and a dotted domain whose labels are all non-empty.
pub fn check_email(email: &str) -> Result<(), String> {
    const RULE: &str = "must be an e-mail address such as name@example.com";
    if email.chars().count() > EMAIL_MAX_CHARS {
        return Err(format!("must be at most {EMAIL_MAX_CHARS} characters"));
    }
    if email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(RULE.into());
    }
    let mut parts = email.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(RULE.into());
    };
    let labels: Vec<&str> = domain.split('.').collect();
    if local.is_empty() || labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return Err(RULE.into());
    }
    Ok(())
}

pub fn check_password(password: &str) -> Result<(), String> {
    let len = password.chars().count();
    if !PASSWORD_CHARS.contains(&len) {
        return Err(format!(
            "must be {} to {} characters",
            PASSWORD_CHARS.start(),
            PASSWORD_CHARS.end()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_follow_the_contract() {
        for ok in ["abc", "a_b.c-d", "x2345678901234567890123456789012"] {
            assert!(check_username(ok).is_ok(), "{ok}");
        }
        for (bad, why) in [
            ("ab", "too short"),
            ("x23456789012345678901234567890123", "too long"),
            ("Alice", "not normalised"),
            ("al ice", "space"),
            ("al@ce", "symbol"),
            ("ålice", "non-ascii"),
        ] {
            assert!(check_username(bad).is_err(), "{bad}: {why}");
        }
    }

    #[test]
    fn usernames_are_lowercased() {
        assert_eq!(normalize_username("ALICE"), "alice");
    }

    #[test]
    fn emails_need_one_at_a_local_part_and_a_dotted_domain() {
        for ok in ["a@b.co", "first.last+tag@mail.example.org"] {
            assert!(check_email(ok).is_ok(), "{ok}");
        }
        for (bad, why) in [
            ("ab.co", "no @"),
            ("a@@b.co", "two @"),
            ("a@b@c.co", "two @"),
            ("@b.co", "empty local part"),
            ("a@localhost", "undotted domain"),
            ("a@.co", "empty label"),
            ("a@b.", "trailing dot"),
            ("a b@c.co", "whitespace"),
            ("", "empty"),
        ] {
            assert!(check_email(bad).is_err(), "{bad}: {why}");
        }
    }

    #[test]
    fn passwords_are_8_to_128_characters() {
        assert!(check_password("1234567").is_err());
        assert!(check_password("12345678").is_ok());
        assert!(
            check_password(&"é".repeat(128)).is_ok(),
            "counted in characters"
        );
        assert!(check_password(&"x".repeat(129)).is_err());
    }
}
