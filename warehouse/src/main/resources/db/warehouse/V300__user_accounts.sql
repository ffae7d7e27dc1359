-- People and machines that use Refinery. Passwords and API tokens are stored only as hashes.
CREATE TABLE IF NOT EXISTS user_accounts (
    username      String,
    password_hash String,                      -- bcrypt
    roles         Array(LowCardinality(String)),
    enabled       Bool,
    updated_at    DateTime64(3, 'UTC'),
    updated_by    String,
    version       UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY username;
