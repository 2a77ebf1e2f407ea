## Commands menu
command-start = Start here: what this bot does
command-help = How to use the bot
command-redeem = Redeem an access code
command-my = Your subscriptions and invite links
command-generate = Generate access codes for a plan
command-newplan = Create a plan
command-plans = List your plans
command-status = See how your generation jobs stand
command-billing = Your tier, free redemptions left and overage this cycle
command-codes = Your codes per plan, masked, by state
command-resend = Try a failed delivery again: /resend <job_id>
command-cancel = Leave the current menu or question
command-language = Choose the bot's language
command-tokens = API tokens for AI assistants (MCP)
command-members = Your subscribers and members per plan
command-check = One person's subscriptions and chats: /check <user id or @username>
command-remove = End one person's access now: /remove <user id or @username>
command-newtoken = Create an API token for an AI assistant

## Welcome and help
help-everyone =
    👋 This bot gives access to private Telegram channels and groups.
    If a creator gave you an access code, send it to this bot (or /redeem <code>) to get your invite.
    /my shows your subscriptions and gives you fresh invite links.
    Creators: ask the operator of this bot for an invite link to get started.
help-creator =
    👋 You are a creator. Here is what you can do:
    /generate — generate single-use codes, step by step with buttons
      or in one line: /generate <plan> <quantity> <file|messages> <expiry>, e.g. /generate VIP 100 file 1_month
    /newplan — create a plan (or in one line: /newplan VIP 30d)
    /plans — your plans: rename, archive, re-activate, link and unlink the channels and groups they unlock
    /members — your subscribers and members per plan; /check <user id or @username> — one person; /remove <user id or @username> — end their access now
    /codes — your codes per plan, masked, by state
    /status — your recent jobs; /resend <job_id> — try a failed delivery again
    /cancel — leave the current menu; /language — choose the language
    /billing — your tier, free redemptions left and overage this cycle
    /notify — how you hear of redemptions: each, a daily summary, or not at all
    /tokens — API tokens that let your AI assistant generate and track codes over MCP; /newtoken <name> — a new one
    Codes are delivered into this chat.
not-a-creator = This command is for creators. If you sell access to a channel, ask the operator of this bot for an invite link.
unknown-message = I did not understand that. Send /help to see what I can do.
invite-accepted =
    🎉 Welcome! You are now a creator, and this chat is where your codes will be delivered.
    Start with /newplan <name> <duration>, then /generate. Send /help for everything else.
invite-already-creator = You are already a creator. Send /help to see what you can do.
invite-private-chat-only = Open the invite link in a private chat with the bot.

## Plans
usage-newplan = Usage: /newplan <name> <duration>, e.g. /newplan VIP 30d. Durations: 7d, 2w, 6mo, 1y, lifetime.
plan-created = ✅ Plan created:
    { $plan }
plans-empty = You have no plans yet. Create one with /newplan <name> <duration>.
plans-header = { $count ->
    [one] Your plan:
   *[other] Your { $count } plans:
}
plan-line = • { $name } — { $duration } ({ $status }, { $linked }) — { $plan_id }
plan-status-active = active
plan-status-archived = archived
plan-chat-linked = { $count ->
    [one] 1 chat linked
   *[other] { $count } chats linked
}
plan-chat-none = no chat linked
button-rename-plan = ✏️ { $name }
button-archive-plan = 🗄 Archive
button-reactivate-plan = ♻️ Re-activate
button-link-plan = 🔗 Chat
button-new-plan = ➕ New plan
plan-now-archived = “{ $name }” is archived: it is not offered for generation and its unused codes no longer work.
plan-now-active = “{ $name }” is active again.
newplan-ask-name = 🆕 What should the new plan be called? Send the name.
newplan-ask-duration = How long does a redemption of “{ $name }” give access?
newplan-ask-days = How many days of access? Send a number.
plan-duration-1w = 1 week
plan-duration-1mo = 1 month
plan-duration-3mo = 3 months
plan-duration-1y = 1 year
plan-duration-lifetime = Lifetime
plan-duration-custom = Custom number of days…
rename-ask-name = ✏️ Send the new name for “{ $plan }”.
rename-ask-again = Send the new name.
rename-done = ✅ “{ $old }” is now called “{ $name }”.
link-ask-chat =
    🔗 Which channel or group does “{ $plan }” unlock? Pick it with the buttons below; the bot must be an administrator there that may invite users.
    Or tap Skip: you can link it later in /plans.
button-pick-channel = 📢 Pick a channel
button-pick-group = 👥 Pick a group
button-skip = Skip
link-not-admin = ⚠️ The bot is not an administrator of “{ $chat }”. Add it as an administrator with the right “Invite users via link”, then pick the chat again.
link-no-invite-right = ⚠️ The bot is an administrator of “{ $chat }” but may not invite users. Turn on “Invite users via link” for it, then pick the chat again.
link-done = ✅ “{ $chat }” is linked to “{ $plan }”. Whoever redeems a code gets a Join button; the bot lets in only people whose subscription is active, and removes them when it ends.
link-skipped = No chat linked. You can link one any time in /plans.
duration-lifetime = lifetime access
duration-days = { $count ->
    [one] 1 day
   *[other] { $count } days
}
duration-weeks = { $count ->
    [one] 1 week
   *[other] { $count } weeks
}
duration-months = { $count ->
    [one] 1 month
   *[other] { $count } months
}
duration-years = { $count ->
    [one] 1 year
   *[other] { $count } years
}

## The guided /generate
wizard-plan = 🎟 Which plan are the codes for?
wizard-plan-paged = 🎟 Which plan are the codes for? (page { $page } of { $pages })
wizard-plan-none = You have no active plan yet. Create one first.
wizard-quantity = How many codes for “{ $plan }”? Tap a number or send any number from { $min } to { $max }.
wizard-delivery =
    How should the bot deliver them?
    📄 CSV file: one document with every code and its redeem link, sent at once.
    💬 One message per code: { $count ->
        [one] 1 message
       *[other] { $count } messages
    } in this chat, which takes { $duration } at Telegram's pace.
button-delivery-file = 📄 CSV file
button-delivery-messages = 💬 One message per code
wizard-expiry = When should unused codes expire?
expiry-choice-no_expiry = Never
expiry-choice-1_day = 1 day
expiry-choice-1_week = 1 week
expiry-choice-1_month = 1 month
expiry-choice-1_year = 1 year
expiry-choice-custom = Custom…
wizard-unit = Custom expiry: in which unit?
wizard-amount = How many { $unit }? Send a number.
unit-days = days
unit-weeks = weeks
unit-months = months
unit-years = years
button-back = ⬅ Back
button-previous = ◀ Previous
button-next = Next ▶
wizard-cancelled = Cancelled. Nothing was created.
cancel-nothing = There is nothing to cancel.

## Generating
usage-generate =
    Usage: /generate <plan> <quantity> <file|messages> <expiry>
    e.g. /generate VIP 100 file 1_month
    quantity: 1–1000; expiry: no_expiry, 1_day, 1_week, 1_month, 1_year, or <N>_<days|weeks|months|years>
generate-card =
    🎟 Generate { $quantity ->
        [one] 1 code
       *[other] { $quantity } codes
    } for { $plan }
    Expiry: { $expiry }
    Delivery: { $delivery }

    Cost preview, if every code is redeemed:
    free redemptions left this cycle: { $free_remaining }
    chargeable: { $chargeable_quantity }
    cost: ${ $cost }
generate-card-messages-note = Sending { $count ->
    [one] 1 message
   *[other] { $count } messages
} into this chat takes { $duration } at Telegram's pace.
delivery-file = one CSV file in this chat
delivery-messages = one message per code in this chat
expiry-never = never expire
expiry-on = expire on { $date }
about-seconds = { $count ->
    [one] about 1 second
   *[other] about { $count } seconds
}
about-minutes = { $count ->
    [one] about 1 minute
   *[other] about { $count } minutes
}
about-hours = { $count ->
    [one] about 1 hour
   *[other] about { $count } hours
}
button-generate = ✅ Generate
button-agree-messages = ✅ I agree: send { $count ->
    [one] 1 message
   *[other] { $count } messages
} to this chat ({ $duration })
button-cancel = ✖ Cancel
generate-cancelled = Cancelled. Nothing was generated.
generate-queued = Queued as job { $job_id }.
generate-already-queued = Already queued as job { $job_id }.
menu-expired = This menu has expired.

## Job progress
job-status-queued = ⏳ Job { $job_id } is queued.
job-status-generating = ⚙️ Job { $job_id }: generating codes…
job-status-delivering =
    📤 Job { $job_id }: delivering…
    { $bar } { $percent }%
    { $done } of { $total } delivered
job-status-telegram-not-answering =
    ⏸ Job { $job_id }: Telegram is not answering, retrying…
    { $done } of { $total } delivered so far; nothing is lost.
job-status-eta = Time left: { $duration }.
button-status = 📋 Status
button-generate-more = ➕ Generate more
job-status-done = ✅ Job { $job_id } is done: { $count ->
    [one] 1 code delivered.
   *[other] { $count } codes delivered.
}
job-status-failed = ❌ Job { $job_id } failed: { $reason }
csv-caption-expiring = { $count ->
    [one] 1 code
   *[other] { $count } codes
} for { $plan }. They expire on { $expires_at }.
csv-caption-no-expiry = { $count ->
    [one] 1 code
   *[other] { $count } codes
} for { $plan }. They never expire.
button-copy-code = 📋 Copy code
code-message =
    { $code }
    { $link }
delivery-failed-blocked = The bot is blocked in the delivery chat. Unblock the bot, then ask for the codes again; they stay stored.
delivery-failed-chat-gone = The delivery chat no longer exists or the bot was removed from it. Open a private chat with the bot again; the codes stay stored.
delivery-failed-rejected = Telegram refused the delivery: { $reason }
delivery-failed-unreachable = Telegram could not be reached after several tries: { $reason }
delivery-failed-codes-gone = The codes of this job are no longer held for delivery.

## Jobs
jobs-empty = You have no generation jobs yet. Start one with /generate.
jobs-header = Your recent jobs; tap one for details:
button-job = { $plan } · { $quantity } · { $status } · { $enqueued_at }
button-refresh = 🔄 Refresh
button-retry-delivery = 📤 Try delivery again
button-jobs = ⬅ Jobs
usage-resend = Usage: /resend <job_id>. It sends the codes a failed job still holds to this chat.
delivery-retried = Trying delivery of job { $job_id } again.
job-line = • { $job_id } — { $quantity ->
    [one] 1 code
   *[other] { $quantity } codes
} — { $status } — { $enqueued_at }
job-details =
    Job { $job_id }
    Plan: { $plan }
    Quantity: { $quantity }
    Delivery: { $delivery }
    Codes { $expiry }
    Status: { $status } ({ $delivered } of { $quantity } delivered)
    Queued: { $enqueued_at }
job-result = Result: { $count ->
    [one] 1 code
   *[other] { $count } codes
} in batch { $batch_id }
job-error = Error { $code }: { $message }
job-state-queued = queued
job-state-running = running
job-state-completed = completed
job-state-failed = failed

## Errors
# An error shown in a chat, when the person can fix what it names.
error-chat-warning = ⚠️ { $message }
error-validation = { $field }: { $reason }
validation-required = is required
validation-not-an-integer = must be a whole number
validation-out-of-range = must be between { $min } and { $max }
validation-unknown-value = must be one of: { $allowed }
validation-consent-required = needs your explicit consent to send one message per code
validation-not-positive = must be greater than zero
validation-too-far-ahead = must not lie more than { $years } years ahead
validation-too-long = must be at most { $max } characters
validation-taken = is already used by another of your plans
validation-wrong-type = must be a { $expected }
validation-not-retryable = is not a failed job; only failed deliveries can be tried again
validation-no-linked-chat = you have no linked Telegram chat to deliver codes to; open a private chat with the bot first
validation-not-a-url = must be a web address such as https://shop.example/hooks
validation-not-https = must start with https://
validation-private-target = points to a loopback, private or link-local address, which the bot does not call
validation-unresolvable = names a host that cannot be found
validation-still-pending = is still being delivered; only a delivered or dead delivery is sent again
error-not-found-plan = No such plan. Send /plans to see yours.
error-not-found-job = No such job. Send /status to see yours.
error-not-found-invite = This invite link is not valid: it was used already, has expired, or never existed. Ask the operator for a new one.
error-not-found-draft = This menu has expired.
error-not-found-token = No such token. Send /tokens to see yours.
error-not-found-creator = No such creator in this team.
error-not-found-team = Your team could not be found.
error-not-found-tier = Your team's tier could not be found.
error-authentication-required = Authentication is required.
error-token-missing-ability = This token lacks the ability { $ability }.
error-rate-limited = Too many requests. Try again in { $seconds } seconds.
error-internal = Something went wrong on our side. Reference: { $reference }
delivery-failed-too-many-attempts = The job was interrupted { $attempts } times and was stopped; the codes made so far stay stored.

## API tokens
tokens-empty = 🔑 You have no API tokens yet. A token lets your AI assistant (Claude Desktop, Cursor, any MCP client) generate and track your codes.
tokens-header = { $count ->
    [one] 🔑 Your API token:
   *[other] 🔑 Your { $count } API tokens:
}
token-line = • { $name } — { $abilities } — created { $created_at } — last used { $last_used }
token-never-used = never
token-abilities-none = no abilities
button-revoke-token = 🗑 Revoke { $name }
button-new-token = ➕ New token
token-draft =
    🔑 New API token “{ $name }”
    Tick what it may do, then tap Create. The token is shown only once.
ability-mcp-full = connect over MCP and check jobs
ability-create-codes = generate codes and preview their cost
ability-view-codes = list codes (masked)
ability-view-webhooks = read webhook deliveries
ability-manage-webhooks = send webhook deliveries again
button-create-token = ✅ Create
token-pick-abilities = Tick the abilities, then tap Create.
token-created =
    🔑 Token “{ $name }” created ({ $abilities }).
    Copy it now: it is shown only this once.

    { $token }

    Your assistant sends it as “Authorization: Bearer <token>” to this bot's MCP endpoint (/mcp). Revoke it any time with /tokens.
token-created-short = Token created.
token-cancelled = No token was created.
token-revoked = Token revoked.

## Redeeming
usage-redeem = Send the code you were given, e.g. /redeem ABCD-EFGH-JKMN (or simply send the code itself).
redeem-private-chat-only = Send your code to the bot in a private chat.
redeem-success = ✅ Code accepted: you have access to { $plan } { $until }.
access-lifetime = for life
access-until = until { $date }
access-ended = ended on { $date }
redeem-join = Tap Join below and send the request: the bot lets you in at once. The link is yours alone; anyone else who uses it is turned away.
redeem-invite-unavailable = The invite link could not be created just now; the creator has been told. Try /my in a while.
button-join = 🚪 Join { $plan }
button-join-chat = 🚪 Join { $chat }
redeem-unknown = ❌ This code is not valid. Check it and send it again.
redeem-already-redeemed = ❌ This code has already been used.
redeem-expired = ❌ This code has expired.
redeem-plan-archived = ❌ This code's plan is no longer offered.
redeem-too-many-attempts = ⏳ Too many wrong codes. Try again in { $minutes ->
    [one] a minute
   *[other] { $minutes } minutes
} (at { $time }).
creator-code-redeemed = 🎟 Code { $code } was redeemed by { $who } on { $plan }. Free redemptions left this cycle: { $left } of { $allotment }.
subscriber-with-username = { $name } (@{ $username }, id { $id })
subscriber-without-username = { $name } (id { $id })
creator-code-redeemed-overage = This redemption is beyond your allotment and is billed as overage.
my-empty = You have no subscriptions yet. Send an access code to get one.
my-header = Your subscriptions:
my-line = • { $plan } — { $state }

## Billing
billing-overview =
    💳 Tier: { $tier } — { $allotment ->
        [one] 1 free redemption
       *[other] { $allotment } free redemptions
    } per monthly cycle
    Cycle: { $start } → { $end }
    Free redemptions used: { $free_used } of { $allotment } ({ $free_left } left)
    Overage redemptions: { $overage } — ${ $cost } (${ $price } each)
    Usage records waiting for Stripe: { $pending }; failed: { $failed }
    Generating codes is free; only redemptions count.
billing-no-customer = ⚠️ Your team has no Stripe customer yet, so overage is held back until the operator sets one. Nothing is lost.
billing-failed-note = ⚠️ Stripe refused some usage records; the operator can see why in the logs.
tier-free = Free
tier-starter = Starter
tier-growth = Growth

## Codes
codes-pick-plan = 🎟 Whose codes? Pick a plan.
codes-header =
    🎟 Codes of “{ $plan }” — { $filter }, page { $page } of { $pages }
    Unredeemed { $unredeemed } · Redeemed { $redeemed } · Expired { $expired } · All { $all }
codes-none = No codes in this state.
code-line = • { $code } — { $state }
code-state-open = unredeemed, never expires
code-state-expires = unredeemed, expires { $date }
code-state-expired = expired { $date }
code-state-redeemed = redeemed { $date }
code-filter-unredeemed = Unredeemed
code-filter-redeemed = Redeemed
code-filter-expired = Expired
code-filter-all = All
button-plans = ⬅ Plans

## Menu and language
creator-menu = 👋 What would you like to do?
menu-generate = 🎟 Generate
menu-plans = 📦 Plans
menu-jobs = 📋 Jobs
menu-codes = 🔎 Codes
menu-help = ❓ Help
language-name = English
language-pick = Choose the language:
language-chosen = The bot speaks English with you now.

## Field names in error messages
field-quantity = quantity
field-export_type = export_type
field-expiry_preset = expiry_preset
field-custom_expiry_amount = custom_expiry_amount
field-custom_expiry_type = custom_expiry_type
field-consent = consent
field-plan_id = plan_id
field-name = name
field-duration = duration
field-linked_chat = linked_chat
field-days = days
field-job_id = job_id
field-status = status
field-limit = limit
field-page = page
field-abilities = abilities
field-creator = creator
field-tier = tier
field-url = URL
field-events = events
field-endpoint = endpoint
field-delivery_id = delivery_id

## Dates
date-time = { $day } { $month } { $year }, { $time } UTC
month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = May
month-6 = Jun
month-7 = Jul
month-8 = Aug
month-9 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec

## Access to the chats
link-no-restrict-right = ⚠️ The bot may not remove members of “{ $chat }”. Turn on “Ban users” for it there, or members whose access ends stay in until you do.
button-plan-chats = 🔗 Chats
plan-chats-header = Chats that “{ $plan }” unlocks:
plan-chat-line = • { $chat }
plan-chats-none = “{ $plan }” unlocks no chat yet.
button-link-another = ➕ Link a chat
button-unlink-chat = ✖️ { $chat }
chat-unlinked = “{ $chat }” no longer comes with “{ $plan }”. Members the bot let in stay until their access ends.
join-declined = You asked to join “{ $chat }”. It is open to subscribers only: send this bot an access code (or open the link that came with it) to subscribe, then tap Join.
access-ended-notice = Your access to { $plan } has ended. To come back, send the bot another code of the plan.
access-reminder = ⏳ Your access to { $plan } ends on { $date }. To keep it, send the bot another code of the plan before then: the time is added to what you have.
rights-problem-not_admin = ⚠️ The bot is no longer an administrator of “{ $chat }” ({ $plan }). Subscribers cannot join and members whose access ended cannot be removed until you make it one again, with the rights “Invite users via link” and “Ban users”.
rights-problem-cannot_invite = ⚠️ The bot may no longer invite users to “{ $chat }” ({ $plan }). Turn on “Invite users via link” for it so subscribers can join.
rights-problem-cannot_restrict = ⚠️ The bot may not remove members of “{ $chat }” ({ $plan }): members whose access ended stay until you turn on “Ban users” for it. Then they are removed.
usage-check = Send /check <user id or @username>.
usage-remove = Send /remove <user id or @username>.
error-not-found-subscriber = No subscriber of yours with that id or username.
error-not-found-chat = That chat does not come with this plan.
members-none = You have no plans yet. Create one with /newplan.
members-header = 👥 Your members:
members-line = • { $plan }: { $active } active, { $admitted } in the chats, { $ending } ending within 7 days, { $removed } removed this cycle
check-header = 🔎 User { $user }:
check-none = 🔎 User { $user } has no subscription on your plans.
check-subscription = • { $plan } — { $state }
check-chat-admitted = ◦ { $chat }: in it, let in by the bot on { $date }
check-chat-present = ◦ { $chat }: in it (not let in by the bot)
check-chat-absent = ◦ { $chat }: not in it
remove-confirm = End every subscription of user { $user } on your plans now, and remove them from the chats the bot let them into?
button-remove-confirm = 🚫 End access now
remove-done = { $count ->
    [0] User { $user } had no active subscription on your plans.
    [one] User { $user }: 1 subscription ended; they are being removed from its chats.
   *[other] User { $user }: { $count } subscriptions ended; they are being removed from their chats.
}
remove-cancelled = Nothing changed.
page-of = (page { $page } of { $pages })

## Webhooks
command-webhooks = Webhooks: send events to your systems
command-addwebhook = Add a webhook endpoint: /addwebhook https://…
webhooks-empty = No webhooks yet. A webhook posts the bot's events (codes generated and redeemed, subscriptions, members) to your shop, CRM or automation, signed. Add one with /addwebhook https://your.site/hooks
webhooks-header = { $count ->
    [one] 🔗 1 webhook
   *[other] 🔗 { $count } webhooks
}
webhook-line =
    { $url }
    Events: { $events } · { $state }
    Last delivery: { $last } · failures in a row: { $failures }
webhook-events-all = all events
webhook-state-active = active
webhook-state-paused = paused
webhook-state-paused-failures = paused after failing 20 times in a row
webhook-state-paused-gone = paused: the receiver answered 410 Gone
webhook-last-never = none yet
webhook-last-no-answer = no answer, { $at }
webhook-card-hint = Tick the events it gets. Each delivery is signed with the endpoint's secret (header Accessbot-Signature); see the README for how to check it.
webhook-add-usage = Send /addwebhook followed by the address that should receive events, e.g. /addwebhook https://shop.example/hooks — https:// only. It gets all events; untick the ones it does not need on its card.
webhook-created =
    ✅ Webhook { $url } added; it gets all events.
    Its signing secret, shown only this once:
    { $secret }
webhook-rotated =
    🔑 New signing secret for { $url }, shown only this once:
    { $secret }
    For 24 hours deliveries carry a signature with the old secret too, so your receiver can switch over.
webhook-confirm-delete = Delete the webhook { $url } with its delivery log? Events stop going there.
webhook-deleted = 🗑 Webhook deleted.
webhook-test-queued = Test event queued
webhook-paused-toast = Paused
webhook-resumed-toast = Resumed: waiting events go out now
webhook-redelivered = Sent again
webhook-events-saved = Events: { $events }
webhook-deliveries-empty = No deliveries to { $url } yet.
webhook-deliveries-header = 📬 Newest deliveries to { $url }
webhook-delivery-line = { $number }. { $event } — { $status } · HTTP { $code } · { $attempts } tries · next try { $next }
webhook-delivery-pending = on its way
webhook-delivery-delivered = delivered
webhook-delivery-dead = dead (every try failed)
button-webhook-open = ⚙️ { $number }
button-webhook-add = ➕ Add webhook
button-webhook-test = 🧪 Send test event
button-webhook-pause = ⏸ Pause
button-webhook-resume = ▶️ Resume
button-webhook-deliveries = 📬 Deliveries
button-webhook-rotate = 🔑 Rotate secret
button-webhook-delete = 🗑 Delete
button-webhook-delete-yes = 🗑 Yes, delete
button-webhook-redeliver = 🔁 Redeliver { $number }
webhook-paused-failures = ⏸ Your webhook { $url } failed { $failures } times in a row, so the bot paused it. Events keep being recorded; resume it in /webhooks once the receiver answers again.
webhook-paused-gone = ⏸ Your webhook { $url } answered 410 Gone, so the bot paused it. Resume it in /webhooks if it should get events again.

command-notify = How you hear of redemptions
notice-redemptions = { $count ->
    [one] 🎟 { $count } code redeemed ({ $plans }): { $who }.
   *[other] 🎟 { $count } codes redeemed ({ $plans }): { $who }.
}
notice-redemptions-daily = { $count ->
    [one] 🗓 In the last day, { $count } code was redeemed ({ $plans }): { $who }.
   *[other] 🗓 In the last day, { $count } codes were redeemed ({ $plans }): { $who }.
}
notice-and-more = { $names } and { $more } more
notice-redemptions-left = Free redemptions left this cycle: { $left } of { $allotment }.
notice-redemptions-overage = { $count ->
    [one] One of them is beyond your allotment and billed as overage.
   *[other] { $count } of them are beyond your allotment and billed as overage.
}
notify-card = 🔔 How should redemptions be told? Now: { $current }. Problems with your chats and webhooks are always told at once.
notify-each = Each redemption
notify-daily = A daily summary
notify-off = Not at all
notify-chosen = Redemptions: { $mode }.
delivery-failed-telegram-silent = Telegram did not answer for { $waited }. Nothing is lost: your codes are kept. Tap 📤 Try delivery again once Telegram is back.
