/** The columns of an inbound message's row, in the order `InboundRowValues` gives them. */
export const INBOUND_COLUMNS = `message_id, source, envelope_from, envelope_to, remote_ip, helo, from_address, subject,
  size_bytes, kind, outcome, reason, community_id, user_id, auth, dmarc, auto_submitted, raw`;

/** `$from, $from+1, …` for `count` parameters. */
export const placeholders = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `$${from + i}`).join(', ');

/** The message's row, or nothing when its Message-ID is already stored. */
export const insertInboundStatement = (n: number) =>
  `INSERT INTO inbound_messages (${INBOUND_COLUMNS}) VALUES (${placeholders(1, n)})
       ON CONFLICT (message_id) DO NOTHING RETURNING id`;

/**
 * The message's row, the submission and its attachments in one statement (one round trip); a
 * Message-ID already stored makes the first insert, and so all three, insert nothing. `n` is the
 * number of the message row's values, which come first.
 */
export const storeSubmissionStatement = (n: number) =>
  `WITH inbound AS (
             INSERT INTO inbound_messages (${INBOUND_COLUMNS}) VALUES (${placeholders(1, n)})
             ON CONFLICT (message_id) DO NOTHING RETURNING id
           ), submission AS (
             INSERT INTO mail_submissions (community_id, inbound_message_id, address, sender_id, sender_address,
                                           subject, body_text, status, hold_reason, header_to, header_cc)
             SELECT $${n + 1}::uuid, inbound.id, $${n + 2}, $${n + 3}::uuid, $${n + 4}, $${n + 5}, $${n + 6},
                    $${n + 7}, $${n + 8}, $${n + 15}::text[], $${n + 16}::text[]
               FROM inbound
             RETURNING id
           ), attachments AS (
             INSERT INTO mail_submission_attachments (submission_id, community_id, position, file_name, kind,
                                                      media_type, size_bytes, sha256, storage_key)
             SELECT submission.id, $${n + 1}::uuid, f.position - 1, f.file_name, f.kind, f.media_type, f.size_bytes,
                    f.sha256, f.storage_key
               FROM submission,
                    unnest($${n + 9}::text[], $${n + 10}::text[], $${n + 11}::text[], $${n + 12}::bigint[],
                           $${n + 13}::text[], $${n + 14}::text[])
                      WITH ORDINALITY AS f(file_name, kind, media_type, size_bytes, sha256, storage_key, position)
           )
           SELECT inbound.id, submission.id AS submission_id FROM inbound, submission`;
