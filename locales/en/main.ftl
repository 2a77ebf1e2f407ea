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
command-batches = Your batches of codes, with what each one sold
command-resend = Deliver a failed job's codes again
command-cancel = Leave the current menu or question
command-language = Choose the bot's language
command-tokens = API tokens for AI assistants (MCP)
command-members = Your subscribers and members per plan
command-check = One person's subscriptions and chats
command-remove = End one person's access now
command-revoke = Take back codes nobody has redeemed yet
command-rollback = Undo a redemption: take back the access a code gave
command-newtoken = Create an API token for an AI assistant

## Welcome and help
help-everyone =
    👋 This bot lets subscribers into private Telegram channels and groups.
    Got an access code from a seller? Send it here, and the bot gives you a Join button.
help-creator =
    👋 Create a plan, generate codes for it, and sell them your way.
    Whoever redeems a code is let into your chats, and removed when their access ends.
    Tap what you need; More lists every command.
not-a-creator = This is for sellers. If you want to sell access to a channel with this bot, ask its operator for an invite link.
unknown-message = To get access, send the access code the seller gave you. Already redeemed one? Tap My subscriptions.
invite-accepted =
    🎉 Welcome! You can now sell access to your private channels and groups with codes.
    Start with a plan: how long access lasts and which chats it opens.
invite-already-creator = You are a creator already.
invite-private-chat-only = Open the invite link in a private chat with the bot.

## Plans
plan-created = ✅ Plan “{ $name }” created: { $duration }.
plans-empty = You have no plans yet. A plan says how long access lasts and which chats it opens.
plans-header = { $count ->
    [one] Your plan:
   *[other] Your { $count } plans:
}
plan-line = • { $name } — { $duration } ({ $status }, { $linked })
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
    Or tap Skip: you can link a chat later in 📦 Plans.
button-pick-channel = 📢 Pick a channel
button-pick-group = 👥 Pick a group
button-skip = Skip
link-not-admin = ⚠️ The bot is not an administrator of “{ $chat }”. Add it as an administrator with the right “Invite users via link”, then pick the chat again.
link-no-invite-right = ⚠️ The bot is an administrator of “{ $chat }” but may not invite users. Turn on “Invite users via link” for it, then pick the chat again.
link-done = ✅ “{ $chat }” is linked to “{ $plan }”. Whoever redeems a code gets a Join button; the bot lets in only people whose subscription is active, and removes them when it ends.
link-skipped = No chat linked yet. You can link one any time in 📦 Plans.
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
usage-generate = That one-line form needs a plan, a quantity, file or messages, and when codes expire. Tap Generate to be asked step by step, or see the one-line form under More.
generate-card =
    🎟 { $quantity ->
        [one] 1 code
       *[other] { $quantity } codes
    } for { $plan }
    Unused codes { $expiry }.
    Delivery: { $delivery }.
    { $cost_line }
generate-card-uses = 👥 Each code lets up to { $uses } people in, once each.
generate-card-prefix = 🔤 Codes look like { $example }
generate-card-for-new = 👤 Only people who never subscribed to you may redeem them.
generate-card-for-returning = 🔁 Only people whose subscription to this plan has ended may redeem them.
generate-card-label = 🏷 Batch: { $label }
generate-card-messages-note = Sending { $count ->
    [one] 1 message
   *[other] { $count } messages
} into this chat takes { $duration } at Telegram's pace. Tap Agree and send to go ahead.
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
button-agree-messages = ✅ Agree and send
button-cancel = ✖ Cancel
generate-cancelled = Cancelled. Nothing was generated.
button-options = ⚙️ Options
generate-options = ⚙️ Options of this batch:
generate-option-uses = 👥 People per code: { $uses }
generate-option-prefix = 🔤 Codes look like { $example }
generate-option-prefix-none = 🔤 No prefix
generate-option-who-anyone = 👤 Anyone may redeem
generate-option-who-new = 👤 Only people who never subscribed to you
generate-option-who-returning = 🔁 Only people whose subscription to this plan has ended
generate-option-label = 🏷 Batch: { $label }
generate-option-label-none = 🏷 No label
button-option-uses = 👥 People per code
button-option-prefix = 🔤 Prefix
button-option-label = 🏷 Label
button-who-anyone = Anyone
button-who-new = New people
button-who-returning = Returning
generate-ask-uses = 👥 Send how many people each code lets in: a number from 1 to 100,000. Each person may use a code once.
generate-ask-prefix = 🔤 Send the prefix the codes start with: 2 to 6 letters A–Z or digits, such as VIP.
generate-ask-label = 🏷 Send the batch's label, at most 64 characters, such as Reseller Anna.
button-option-one-use = One person per code
button-option-no-prefix = No prefix
button-option-no-label = No label
generate-queued = Queued: { $what }.
generate-already-queued = Already queued.
menu-expired = This menu has expired.

## Job progress
job-status-queued = ⏳ { $what }: queued.
job-status-generating = ⚙️ { $what }: generating…
job-status-delivering =
    📤 { $what }: delivering…
    { $bar } { $percent }%
    { $done } of { $total } delivered
job-status-telegram-not-answering =
    ⏸ { $what }: Telegram is not answering, retrying…
    { $done } of { $total } delivered so far; nothing is lost.
job-status-eta = Time left: { $duration }.
button-status = 📋 Details
button-generate-more = ➕ Generate more
job-status-failed = ❌ { $what }: { $reason }
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
jobs-empty = You have not generated any codes yet.
jobs-header = Your recent jobs; tap one for details:
button-job = { $state }{ $kind } { $plan } · { $quantity } · { $when }
button-refresh = 🔄 Refresh
button-retry-delivery = 📤 Try delivery again
button-jobs = ⬅ Jobs
usage-resend = To deliver a failed job's codes again, open it in 📋 Jobs and tap 📤 Try delivery again.
delivery-retried = 📤 Trying the delivery again.
job-details =
    { $what }
    Delivery: { $delivery }
    Codes { $expiry }
    Status: { $status } ({ $delivered } of { $quantity } delivered)
    Queued: { $enqueued_at }
job-error = Error: { $message }
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
validation-one-of = give exactly one of: { $fields }
validation-not-a-prefix = must be 2 to 6 letters A–Z or digits
validation-not-redeemed = has not been redeemed, so there is nothing to roll back
validation-rolled-back = was rolled back already
error-not-found-plan = There is no plan by that name.
error-not-found-job = There is no such job among yours.
error-not-found-invite = This invite link is not valid: it was used already, has expired, or never existed. Ask the operator for a new one.
error-not-found-draft = This menu has expired.
error-not-found-token = There is no such token among yours.
error-not-found-creator = No such creator in this team.
error-not-found-team = Your team could not be found.
error-not-found-tier = Your team's tier could not be found.
error-authentication-required = Authentication is required.
error-token-missing-ability = This token lacks the ability { $ability }.
error-rate-limited = Too many requests. Try again in { $seconds } seconds.
error-internal = Something went wrong on our side. Reference: { $reference }
delivery-failed-too-many-attempts = The job was interrupted { $attempts } times and was stopped; the codes made so far stay stored.

## API tokens
tokens-empty = 🔑 No API tokens yet. A token lets your AI assistant (Claude Desktop, Cursor or any MCP client) create and track your codes.
tokens-header = { $count ->
    [one] 🔑 Your API token:
   *[other] 🔑 Your { $count } API tokens:
}
token-line =
    • { $name }: { $abilities }
      created { $created_at }; { $last_used }
token-never-used = not used yet
token-abilities-none = nothing yet
button-revoke-token = 🗑 Revoke { $name }
button-new-token = ➕ New token
token-draft =
    🔑 New API token “{ $name }”
    Tick what it may do, then tap Create. To give it another name, send the name. The token is shown only once.
ability-mcp-full = Connect an AI assistant
ability-create-codes = Create codes
ability-view-codes = See codes
ability-view-webhooks = See webhook deliveries
ability-manage-webhooks = Resend webhook deliveries
ability-revoke-codes = Revoke codes
button-create-token = ✅ Create
token-pick-abilities = Tick what it may do, then tap Create.
token-created =
    🔑 Token “{ $name }” created. It may: { $abilities }.
    Copy it now: it is shown only this once.

    { $token }

    Paste it into your assistant's settings for this bot's MCP address (/mcp); it goes in the Authorization header as a Bearer token. Revoke it any time in 🔑 AI assistants.
token-created-short = Token created.
token-cancelled = No token was created.
token-revoked = Token revoked.

## Redeeming
usage-redeem = Send the code you were given, such as /redeem ABCD-EFGH-JKMN, or simply the code itself.
redeem-private-chat-only = Send your code to the bot in a private chat.
redeem-success = ✅ Code accepted: you have access to { $plan } { $until }.
access-lifetime = for life
access-until = until { $date }
access-ended = ended on { $date }
redeem-join = Tap Join below and send the request: the bot lets you in at once. The link is yours alone; anyone else who uses it is turned away.
redeem-invite-unavailable = The invite link could not be made just now; the seller has been told. Tap My subscriptions in a while to get it.
button-join = 🚪 Join { $plan }
button-join-chat = 🚪 Join { $chat }
redeem-unknown = ❌ This code is not valid. Check it and send it again.
redeem-already-redeemed = ❌ This code has already been used. If it was you, tap My subscriptions; otherwise ask the seller for a new one.
redeem-expired = ❌ This code has expired. Ask the seller for a new one.
redeem-not-new = ❌ This code is for new subscribers only, and you have subscribed to this creator before. The code stays unused.
redeem-not-returning = ❌ This code renews a subscription to this plan that has ended, and you have none that ended. The code stays unused.
redeem-plan-archived = ❌ This code's plan is no longer offered. Ask the seller what to do instead.
redeem-too-many-attempts = ⏳ Too many wrong codes. Try again in { $minutes ->
    [one] a minute
   *[other] { $minutes } minutes
} (at { $time }).
creator-code-redeemed = 🎟 Code { $code } was redeemed by { $who } on { $plan }. Free redemptions left this cycle: { $left } of { $allotment }.
subscriber-with-username = { $name } (@{ $username }, id { $id })
subscriber-without-username = { $name } (id { $id })
creator-code-redeemed-overage = This redemption is beyond your allotment and is billed as overage.
my-empty = You have no subscriptions yet. Send the access code the seller gave you to get one.
my-header = Your subscriptions:
my-line = • { $plan } — { $state }

## Billing
billing-overview =
    💳 { $tier } tier: { $free_left } of { $allotment } free redemptions left until { $end }. After that { $price } each.
billing-no-customer = ⚠️ Paid redemptions are not billed yet: the operator has not connected your team to Stripe. Nothing is lost; ask the operator to set it up.
billing-failed-note = ⚠️ Stripe refused some charges. Ask the operator to check the bot's log, which says why.
tier-free = Free
tier-starter = Starter
tier-growth = Growth

## Codes
codes-pick-plan = 🎟 Whose codes? Pick a plan.
codes-header =
    🎟 Codes of “{ $plan }” — { $filter }, page { $page } of { $pages }
    Unredeemed { $unredeemed } · Redeemed { $redeemed } · Expired { $expired } · Revoked { $revoked } · All { $all }
codes-of-batch = 🏷 Batch: { $batch }
button-batch = ⬅ Batch
codes-none = No codes in this state.
code-line = • { $code } — { $state }
code-state-open = unredeemed, never expires
code-state-expires = unredeemed, expires { $date }
code-state-expired = expired { $date }
code-state-redeemed = redeemed { $date }
code-state-revoked = revoked { $date }
code-uses = { $used }/{ $max } used
code-state-uses = { $state } · { $uses }
code-filter-unredeemed = Unredeemed
code-filter-redeemed = Redeemed
code-filter-expired = Expired
code-filter-revoked = Revoked
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
field-cursor = cursor
field-page = page
field-abilities = abilities
field-creator = creator
field-tier = tier
field-url = URL
field-events = events
field-endpoint = endpoint
field-delivery_id = delivery_id
field-label = label
field-prefix = prefix
field-eligibility = eligibility
field-option = option
field-max_redemptions = uses per code
field-redemption_id = redemption_id
field-since = since
field-revoke_code = revoke_code
field-batch_id = batch_id
field-code = code
field-dry_run = dry_run
field-target = what to revoke

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
usage-check = Send /check followed by the person's Telegram id or @username, such as /check @anna.
batches-header-all = 🏷 Your batches, newest first
batches-header-plan = 🏷 Batches of “{ $plan }”, newest first
batches-empty = No batches yet: each generation makes one. Name it with label= at the end of /generate, such as /generate VIP 100 file 1_month label=Reseller Anna.
batch-unlabeled = { $count ->
    [one] 1 code of { $date }
   *[other] { $count } codes of { $date }
}
batch-line =
    • { $name } — { $plan }, { $date }
      unredeemed { $unredeemed } · redeemed { $redeemed } · expired { $expired } · revoked { $revoked }
batch-line-unlabeled =
    • { $name } — { $plan }
      unredeemed { $unredeemed } · redeemed { $redeemed } · expired { $expired } · revoked { $revoked }
batch-card =
    🏷 { $name }
    { $count ->
        [one] 1 “{ $plan }” code
       *[other] { $count } “{ $plan }” codes
    }, generated { $date }; unused codes { $expiry }.
    Unredeemed { $unredeemed } · Redeemed { $redeemed } · Expired { $expired } · Revoked { $revoked }
    Redeemed by { $funnel_redeemed } → joined a chat { $joined } → still active { $active }
button-batch-codes = 🎟 Codes
button-plan-batches = 🏷 Batches
button-batches = ⬅ Batches
usage-batches = Send /batches, or /batches with a plan's name.
button-export-redemptions = 📤 Export redemptions
export-caption-batch = { $count ->
    [one] 1 redemption of the batch “{ $label }”.
   *[other] { $count } redemptions of the batch “{ $label }”.
}
export-caption-plan = { $count ->
    [one] 1 redemption of “{ $plan }”.
   *[other] { $count } redemptions of “{ $plan }”.
}
export-none = Nothing to export: no code here has been redeemed yet.
usage-revoke = Send /revoke with a code, such as /revoke ABCD-EFGH-JKMN, or with a plan's name to take back all of its unredeemed codes. A batch's codes are taken back from its card in /batches.
revoke-confirm-code = Revoke the code { $code }? Nobody can redeem it afterwards.
of-codes = { $size ->
    [one] of 1 code
   *[other] of { $size } codes
}
revoke-confirm-batch = { $count ->
    [one] Revoke the 1 unredeemed code of the batch of { $size } “{ $plan }” codes from { $date }? Nobody can redeem it afterwards; codes already redeemed keep their access.
   *[other] Revoke the { $count } unredeemed codes of the batch of { $size } “{ $plan }” codes from { $date }? Nobody can redeem them afterwards; codes already redeemed keep their access.
}
revoke-confirm-plan = { $count ->
    [one] Revoke the 1 unredeemed code of “{ $plan }”? Nobody can redeem it afterwards; codes already redeemed keep their access.
   *[other] Revoke the { $count } unredeemed codes of “{ $plan }”? Nobody can redeem them afterwards; codes already redeemed keep their access.
}
button-revoke = { $count ->
    [one] 🚫 Revoke 1 code
   *[other] 🚫 Revoke { $count } codes
}
button-revoke-unredeemed = 🚫 Revoke unredeemed
revoke-nothing-batch = Nothing to revoke: this batch of “{ $plan }” has no code left that could be redeemed.
revoke-nothing-plan = Nothing to revoke: “{ $plan }” has no code left that could be redeemed.
revoke-code-redeemed = The code { $code } was redeemed { $date }, so it cannot be revoked.
revoke-code-expired = The code { $code } expired { $date }: nobody can redeem it.
revoke-code-revoked = The code { $code } was revoked { $date } already.
revoke-code-gone = The code { $code } was redeemed or revoked a moment ago.
revoked-code = 🚫 The code { $code } is revoked: nobody can redeem it now.
revoked-codes = { $count ->
    [one] 🚫 1 code of “{ $plan }” is revoked: nobody can redeem it now.
   *[other] 🚫 { $count } codes of “{ $plan }” are revoked: nobody can redeem them now.
}
revoked-none = Nothing was revoked: those codes were redeemed or revoked meanwhile.
revoke-cancelled = Nothing was revoked.
rollback-cancelled = Nothing was rolled back.
usage-rollback = Send /rollback with a redeemed code, such as /rollback ABCD-EFGH-JKMN. Or open /check with the person: each subscription a code gave has a Roll back button there.
rollback-pick = Several people redeemed { $code }. Whose redemption do you roll back?
button-rollback-pick = { $name } · { $date }
button-rollback-of = ↩️ Roll back: { $plan }
rollback-confirm = ↩️ Roll back { $name }'s redemption of { $code } ({ $plan })?
rollback-access-ends = Their access ends now, and they are removed from the chats no other subscription of theirs covers.
rollback-access-shortened = Their access is shortened by what the code added: it now ends { $date }.
rollback-access-unchanged = Their access does not change: the code added nothing that is still running.
rollback-billing-free = It counted as a free redemption this cycle, which you get back.
rollback-billing-earlier-cycle = It was redeemed in an earlier billing cycle, so billing does not change.
rollback-billing-voided = One overage charge of this cycle is dropped before it reaches Stripe.
rollback-billing-cancelled = One overage charge, sent to Stripe less than a day ago, is cancelled there.
rollback-billing-stays = Its overage charge reached Stripe more than a day ago, which is too late to cancel: it stays billed.
rollback-pick-code = Then choose: revoke the code, or reopen it so that it can be redeemed again.
button-rollback-revoke = 🚫 Roll back, revoke code
button-rollback-reopen = 🔓 Roll back, reopen code
rollback-done = ↩️ Rolled back { $name }'s redemption of { $code } ({ $plan }).
rollback-code-revoked = The code is revoked.
rollback-code-reopened = The code can be redeemed again.
error-not-found-code = There is no such code among yours.
error-not-found-batch = There is no such batch among yours.
error-not-found-redemption = There is no such redemption among yours.
usage-remove = Send /remove followed by the person's Telegram id or @username, such as /remove @anna.
error-not-found-subscriber = No subscriber of yours with that id or username.
error-not-found-chat = That chat does not come with this plan.
members-none = You have no plans yet, so no members either.
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
command-addwebhook = Add a webhook endpoint
webhooks-empty = No webhooks yet. A webhook posts the bot's events (codes created and redeemed, subscriptions, members) to your shop, CRM or automation, signed.
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
webhook-events-saved-count = Events: { $count } of { $all } types. The card shows which.
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
notify-card = 🔔 How should redemptions be told? Now: “{ $current }”. Problems with your chats and webhooks are always told at once.
notify-each = Each redemption
notify-daily = A daily summary
notify-off = Not at all
notify-chosen = Redemptions: { $mode }.
delivery-failed-telegram-silent = Telegram did not answer for { $waited }. Nothing is lost: your codes are kept. Tap 📤 Try delivery again once Telegram is back.

job-what = { $quantity ->
    [one] 1 { $plan } code
   *[other] { $quantity } { $plan } codes
}
job-status-done-file = { $count ->
    [one] ✅ 1 { $plan } code is ready: the CSV is below.
   *[other] ✅ { $count } { $plan } codes are ready: the CSV is below.
}
job-status-done-messages = { $count ->
    [one] ✅ 1 { $plan } code is ready: it is in the message below.
   *[other] ✅ { $count } { $plan } codes are ready: each is in its own message below.
}
job-status-done-nothing = 🚫 No { $plan } code went out: every one was revoked before its turn.
job-status-left-out-revoked = { $count ->
    [one] 🚫 1 code was revoked before its turn and was not sent.
   *[other] 🚫 { $count } codes were revoked before their turn and were not sent.
}
job-icon-queued = ⏳
job-icon-running = ⚙️
job-icon-completed = ✅
job-icon-failed = ❌
export-icon-file = 📄
export-icon-messages = 💬
job-reference = Reference: { $job_id }
time-today = today { $time }
time-yesterday = yesterday { $time }
time-this-year = { $day } { $month }, { $time }
number-group-separator = ,
number-decimal-separator = .
money-usd = ${ $amount }

help-reference =
    📖 Every command (the menu next to the message box lists them too):
    /start — the menu; /help — what the bot does
    /generate — codes for a plan, step by step
      or in one line: /generate <plan> <quantity> <file|messages> <expiry> [uses=<people per code>] [prefix=<2–6 letters>] [for=new|returning] [label=<batch name>], e.g. /generate VIP 100 file 1_month prefix=VIP label=Reseller Anna
    /newplan — a new plan (or in one line: /newplan VIP 30d)
    /plans — rename, archive and re-activate plans; link and unlink their chats
    /codes — your codes per plan, by state; /batches — your batches, with what each sold; /revoke <code, plan or batch> — take back codes nobody has redeemed; /rollback <code> — undo a redemption
    /status — your recent jobs; /resend <job id> — deliver a failed job's codes again
    /members — your members per plan; /check <user id or @username> — one person; /remove <user id or @username> — end their access now
    /billing — free redemptions left and what redemptions cost
    /notify — how you hear of redemptions
    /tokens — API tokens for an AI assistant; /newtoken <name> — a new one
    /webhooks — send events to your systems; /addwebhook <address> — a new one
    /language — the bot's language; /cancel — leave the current question
    /my — your own subscriptions; /redeem <code> — redeem a code
how-it-works =
    💡 How it works:
    1. A plan says how long access lasts (a month, a year, for life) and which channels and groups it opens. The bot must be an administrator there.
    2. You generate codes for a plan and sell or give them away your way.
    3. Whoever sends the bot a code gets a Join button; the bot lets in only people with active access and removes them when it ends, after a reminder.
    You hear of each redemption here.
unknown-message-creator = That is not something the bot can act on. Tap what you need:
button-my-subscriptions = 📋 My subscriptions
menu-members = 👥 Members
menu-billing = 💳 Billing
menu-webhooks = 🔗 Webhooks
menu-tokens = 🔑 AI assistants
menu-notify = 🔔 Notifications
menu-language = 🌐 Language
menu-newplan = ➕ New plan
menu-how = 💡 How it works
menu-more = 📖 More
billing-overage = { $count ->
    [one] This cycle so far: 1 paid redemption, { $cost }.
   *[other] This cycle so far: { $count } paid redemptions, { $cost }.
}
billing-codes-free = Creating codes is always free; only redemptions count.
date-day = { $day } { $month }
generate-card-cost = { $chargeable ->
    [0] Redeeming them all stays within your free redemptions ({ $free_left } left this cycle).
   *[other] If all are redeemed: { $free } free, { $chargeable } paid, { $cost } in all.
}

button-first-plan = ➕ Create my first plan
token-used-at = last used { $at }
token-tick-one = Tick at least one thing the token may do.
token-may-now = It may: { $abilities }.
token-default-name = AI assistant { $number }
token-named = ✏️ The token is now called “{ $name }”.
ask-abilities-required = Tick at least one thing the token may do.
ask-consent-consent-required = Tap Agree and send to confirm one message per code.
ask-custom_expiry_amount-not-an-integer = Send a whole number, such as 3.
ask-custom_expiry_amount-not-positive = Send a number greater than zero.
ask-custom_expiry_amount-required = Send how many, as a number.
ask-custom_expiry_amount-too-far-ahead = Codes can expire at most { $years } years ahead. Send a smaller number.
ask-days-not-positive = Send a number of days greater than zero, such as 30.
ask-days-not-an-integer = Send a number of days, such as 30.
ask-duration-not-positive = Send a duration such as 30d, 2w, 6mo, 1y or lifetime.
ask-duration-unknown-value = Send a duration such as 30d, 2w, 6mo, 1y or lifetime.
ask-duration-too-far-ahead = Access can last at most { $years } years. Send a shorter duration.
ask-job_id-not-retryable = Only a job whose delivery failed can be delivered again.
ask-linked_chat-no-linked-chat = Open a private chat with the bot first: codes are delivered there.
ask-name-required = Send a name.
ask-name-taken = You already have a plan with that name. Send another one.
ask-name-too-long = Send a shorter name: at most { $max } characters.
ask-label-too-long = Make the batch label shorter: at most { $max } characters.
ask-max_redemptions-not-an-integer = Say how many people each code lets in as a whole number, such as 100.
ask-max_redemptions-out-of-range = Each code lets in from { $min } to { $max } people.
ask-code-not-redeemed = Nobody has redeemed that code, so there is nothing to roll back. To stop it being redeemed, revoke it.
ask-redemption_id-rolled-back = That redemption was rolled back already.
ask-prefix-not-a-prefix = A prefix is 2 to 6 letters A–Z or digits, such as prefix=VIP.
ask-eligibility-unknown-value = Say who may redeem: for=new, for=returning or for=anyone.
ask-option-unknown-value = After the expiry, /generate takes uses=<people per code>, prefix=<2–6 letters or digits>, for=<new, returning or anyone> and label=<batch name>.
ask-quantity-not-an-integer = Send a whole number from 1 to 1,000.
ask-quantity-out-of-range = Send a number from { $min } to { $max }.
ask-url-not-a-url = Send a web address such as https://shop.example/hooks.
ask-url-not-https = The address must start with https://. Send it again.
ask-url-private-target = That address is inside a private network, which the bot does not call. Send a public address.
ask-url-unresolvable = That host cannot be found. Check the address and send it again.
ask-delivery_id-still-pending = That delivery is still on its way; only a delivered or failed one can be sent again.
webhook-ask-address = 🔗 Send the address that should receive events. It must start with https://, such as https://shop.example/hooks. It gets all events; you can untick some on its card.

ask-export_type-unknown-value = Say how to deliver them: file or messages.
ask-expiry_preset-unknown-value = Say when unused codes expire: no_expiry, 1_day, 1_week, 1_month, 1_year, or a number and a unit, such as 3_months.
ask-custom_expiry_type-unknown-value = Give the unit as days, weeks, months or years, such as 3_months.

unit-days-how-many = days
unit-weeks-how-many = weeks
unit-months-how-many = months
unit-years-how-many = years
