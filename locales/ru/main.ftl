## Commands menu
command-start = Начало: что умеет этот бот
command-help = Как пользоваться ботом
command-redeem = Активировать код доступа
command-my = Ваши подписки и ссылки-приглашения
command-generate = Сгенерировать коды доступа для плана
command-newplan = Создать план
command-plans = Ваши планы
command-status = Как идут ваши задания генерации
command-billing = Тариф, бесплатные активации и перерасход в этом цикле
command-codes = Ваши коды по планам, скрытые, по состоянию
command-resend = Повторить неудавшуюся доставку: /resend <job_id>
command-cancel = Выйти из текущего меню или вопроса
command-language = Выбрать язык бота
command-members = Подписчики и участники по планам
command-check = Подписки и чаты одного человека: /check <id или @username>
command-remove = Закрыть доступ человеку сейчас: /remove <id или @username>
command-tokens = API-токены для ИИ-ассистентов (MCP)
command-newtoken = Создать API-токен для ИИ-ассистента

## Welcome and help
help-everyone =
    👋 Этот бот открывает доступ к закрытым каналам и группам Telegram.
    Если автор дал вам код доступа, отправьте его боту (или /redeem <код>), чтобы получить приглашение.
    /my показывает ваши подписки и даёт свежие ссылки-приглашения.
    Авторы: попросите у оператора бота ссылку-приглашение, чтобы начать.
help-creator =
    👋 Вы автор. Вот что вы можете:
    /generate — сгенерировать одноразовые коды, по шагам с кнопками
      или одной строкой: /generate <план> <количество> <file|messages> <срок>, например /generate VIP 100 file 1_month
    /newplan — создать план (или одной строкой: /newplan VIP 30d)
    /plans — ваши планы: переименовать, архивировать, вернуть, привязать канал или группу
    /members — подписчики и участники по планам; /check <id или @username> — один человек; /remove <id или @username> — закрыть доступ сейчас
    /codes — ваши коды по планам, скрытые, по состоянию
    /status — ваши последние задания; /resend <job_id> — повторить неудавшуюся доставку
    /cancel — выйти из текущего меню; /language — выбрать язык
    /billing — ваш тариф, оставшиеся бесплатные активации и перерасход в этом цикле
    /notify — как сообщать об активациях: о каждой, сводкой раз в день или никак
    /tokens — API-токены, с которыми ИИ-ассистент генерирует и отслеживает коды через MCP; /newtoken <имя> — новый токен
    Коды доставляются в этот чат.
not-a-creator = Эта команда для авторов. Если вы продаёте доступ к каналу, попросите у оператора бота ссылку-приглашение.
unknown-message = Я не понял. Отправьте /help, чтобы узнать, что я умею.
invite-accepted =
    🎉 Добро пожаловать! Теперь вы автор, и в этот чат будут приходить ваши коды.
    Начните с /newplan, затем /generate. Всё остальное — в /help.
invite-already-creator = Вы уже автор. Отправьте /help, чтобы узнать, что можно сделать.
invite-private-chat-only = Откройте ссылку-приглашение в личном чате с ботом.

## Plans
usage-newplan = Использование: /newplan <название> <срок>, например /newplan VIP 30d. Сроки: 7d, 2w, 6mo, 1y, lifetime. Или просто /newplan — по шагам.
plan-created = ✅ План создан:
    { $plan }
plans-empty = У вас пока нет планов. Создайте план командой /newplan.
plans-header = { $count ->
    [one] Ваш { $count } план:
    [few] Ваши { $count } плана:
   *[other] Ваши { $count } планов:
}
plan-line = • { $name } — { $duration } ({ $status }, { $linked }) — { $plan_id }
plan-status-active = активен
plan-status-archived = в архиве
plan-chat-linked = { $count ->
    [one] { $count } чат подключён
    [few] { $count } чата подключено
   *[many] { $count } чатов подключено
}
plan-chat-none = чат не привязан
button-rename-plan = ✏️ { $name }
button-archive-plan = 🗄 В архив
button-reactivate-plan = ♻️ Вернуть
button-link-plan = 🔗 Чат
button-new-plan = ➕ Новый план
plan-now-archived = «{ $name }» в архиве: он не предлагается для генерации, а его неиспользованные коды больше не действуют.
plan-now-active = «{ $name }» снова активен.
newplan-ask-name = 🆕 Как назвать новый план? Отправьте название.
newplan-ask-duration = На какой срок активация «{ $name }» даёт доступ?
newplan-ask-days = Сколько дней доступа? Отправьте число.
plan-duration-1w = 1 неделя
plan-duration-1mo = 1 месяц
plan-duration-3mo = 3 месяца
plan-duration-1y = 1 год
plan-duration-lifetime = Навсегда
plan-duration-custom = Своё число дней…
rename-ask-name = ✏️ Отправьте новое название для «{ $plan }».
rename-ask-again = Отправьте новое название.
rename-done = ✅ «{ $old }» теперь называется «{ $name }».
link-ask-chat =
    🔗 Какой канал или группу открывает «{ $plan }»? Выберите кнопками ниже; бот должен быть там администратором с правом приглашать пользователей.
    Или нажмите «Пропустить»: привязать можно позже в /plans.
button-pick-channel = 📢 Выбрать канал
button-pick-group = 👥 Выбрать группу
button-skip = Пропустить
link-not-admin = ⚠️ Бот не администратор в «{ $chat }». Добавьте его администратором с правом «Пригласительные ссылки» и выберите чат снова.
link-no-invite-right = ⚠️ Бот администратор в «{ $chat }», но не может приглашать пользователей. Включите ему право «Пригласительные ссылки» и выберите чат снова.
link-done = ✅ «{ $chat }» привязан к «{ $plan }». Каждый, кто активирует код, получит кнопку «Вступить»; бот впускает только тех, чья подписка активна, и удаляет их, когда она заканчивается.
link-skipped = Чат не привязан. Привязать его можно в любой момент в /plans.
duration-lifetime = пожизненный доступ
duration-days = { $count ->
    [one] { $count } день
    [few] { $count } дня
   *[other] { $count } дней
}
duration-weeks = { $count ->
    [one] { $count } неделя
    [few] { $count } недели
   *[other] { $count } недель
}
duration-months = { $count ->
    [one] { $count } месяц
    [few] { $count } месяца
   *[other] { $count } месяцев
}
duration-years = { $count ->
    [one] { $count } год
    [few] { $count } года
   *[other] { $count } лет
}

## The guided /generate
wizard-plan = 🎟 Для какого плана коды?
wizard-plan-paged = 🎟 Для какого плана коды? (страница { $page } из { $pages })
wizard-plan-none = У вас пока нет активного плана. Сначала создайте его.
wizard-quantity = Сколько кодов для «{ $plan }»? Нажмите число или отправьте любое от { $min } до { $max }.
wizard-delivery =
    Как доставить коды?
    📄 CSV-файл: один документ со всеми кодами и ссылками активации, сразу.
    💬 Сообщение на каждый код: { $count ->
        [one] { $count } сообщение
        [few] { $count } сообщения
       *[other] { $count } сообщений
    } в этот чат, это займёт { $duration } в темпе Telegram.
button-delivery-file = 📄 CSV-файл
button-delivery-messages = 💬 Сообщение на каждый код
wizard-expiry = Когда неиспользованные коды истекают?
expiry-choice-no_expiry = Никогда
expiry-choice-1_day = 1 день
expiry-choice-1_week = 1 неделя
expiry-choice-1_month = 1 месяц
expiry-choice-1_year = 1 год
expiry-choice-custom = Свой срок…
wizard-unit = Свой срок: в каких единицах?
wizard-amount = Сколько ({ $unit })? Отправьте число.
unit-days = дни
unit-weeks = недели
unit-months = месяцы
unit-years = годы
button-back = ⬅ Назад
button-previous = ◀ Назад
button-next = Дальше ▶
wizard-cancelled = Отменено. Ничего не создано.
cancel-nothing = Отменять нечего.

## Generating
usage-generate =
    Использование: /generate <план> <количество> <file|messages> <срок>
    например /generate VIP 100 file 1_month
    количество: 1–1000; срок: no_expiry, 1_day, 1_week, 1_month, 1_year или <N>_<days|weeks|months|years>
    Или просто /generate — по шагам с кнопками.
generate-card =
    🎟 Сгенерировать { $quantity ->
        [one] { $quantity } код
        [few] { $quantity } кода
       *[other] { $quantity } кодов
    } для { $plan }
    Срок: { $expiry }
    Доставка: { $delivery }

    Стоимость, если активируют все коды:
    бесплатных активаций осталось в этом цикле: { $free_remaining }
    платных: { $chargeable_quantity }
    стоимость: ${ $cost }
generate-card-messages-note = Отправка { $count ->
    [one] { $count } сообщения
   *[other] { $count } сообщений
} в этот чат займёт { $duration } в темпе Telegram.
delivery-file = один CSV-файл в этот чат
delivery-messages = по сообщению на код в этот чат
expiry-never = бессрочно
expiry-on = истекают { $date }
about-seconds = { $count ->
    [one] около { $count } секунды
   *[other] около { $count } секунд
}
about-minutes = { $count ->
    [one] около { $count } минуты
   *[other] около { $count } минут
}
about-hours = { $count ->
    [one] около { $count } часа
   *[other] около { $count } часов
}
button-generate = ✅ Сгенерировать
button-agree-messages = ✅ Согласен: отправить { $count ->
    [one] { $count } сообщение
    [few] { $count } сообщения
   *[other] { $count } сообщений
} в этот чат ({ $duration })
button-cancel = ✖ Отмена
generate-cancelled = Отменено. Ничего не сгенерировано.
generate-queued = Поставлено в очередь как задание { $job_id }.
generate-already-queued = Уже в очереди как задание { $job_id }.
menu-expired = Это меню устарело.

## Job progress
job-status-queued = ⏳ Задание { $job_id } в очереди.
job-status-generating = ⚙️ Задание { $job_id }: генерирую коды…
job-status-delivering =
    📤 Задание { $job_id }: доставка…
    { $bar } { $percent }%
    доставлено { $done } из { $total }
job-status-telegram-not-answering =
    ⏸ Задание { $job_id }: Telegram не отвечает, пробуем снова…
    Уже доставлено { $done } из { $total }; ничего не потеряно.
job-status-eta = Осталось { $duration }.
button-status = 📋 Статус
button-generate-more = ➕ Сгенерировать ещё
job-status-done = ✅ Задание { $job_id } выполнено: { $count ->
    [one] доставлен { $count } код.
    [few] доставлено { $count } кода.
   *[other] доставлено { $count } кодов.
}
job-status-failed = ❌ Задание { $job_id } не выполнено: { $reason }
csv-caption-expiring = { $count ->
    [one] { $count } код
    [few] { $count } кода
   *[other] { $count } кодов
} для { $plan }. Истекают { $expires_at }.
csv-caption-no-expiry = { $count ->
    [one] { $count } код
    [few] { $count } кода
   *[other] { $count } кодов
} для { $plan }. Бессрочные.
button-copy-code = 📋 Скопировать код
code-message =
    { $code }
    { $link }
delivery-failed-blocked = Бот заблокирован в чате доставки. Разблокируйте бота и запросите коды снова; они сохранены.
delivery-failed-chat-gone = Чата доставки больше нет, или бота из него удалили. Откройте личный чат с ботом снова; коды сохранены.
delivery-failed-rejected = Telegram отклонил доставку: { $reason }
delivery-failed-unreachable = Telegram недоступен после нескольких попыток: { $reason }
delivery-failed-codes-gone = Коды этого задания больше не хранятся для доставки.

## Jobs
jobs-empty = У вас пока нет заданий генерации. Начните с /generate.
jobs-header = Ваши последние задания; нажмите, чтобы открыть:
button-job = { $plan } · { $quantity } · { $status } · { $enqueued_at }
button-refresh = 🔄 Обновить
button-retry-delivery = 📤 Доставить снова
button-jobs = ⬅ Задания
usage-resend = Использование: /resend <job_id>. Бот отправит в этот чат коды, которые ещё хранит неудавшееся задание.
delivery-retried = Пробую снова доставить задание { $job_id }.
job-line = • { $job_id } — { $quantity ->
    [one] { $quantity } код
    [few] { $quantity } кода
   *[other] { $quantity } кодов
} — { $status } — { $enqueued_at }
job-details =
    Задание { $job_id }
    План: { $plan }
    Количество: { $quantity }
    Доставка: { $delivery }
    Коды: { $expiry }
    Статус: { $status } (доставлено { $delivered } из { $quantity })
    В очереди с: { $enqueued_at }
job-result = Результат: { $count ->
    [one] { $count } код
    [few] { $count } кода
   *[other] { $count } кодов
} в партии { $batch_id }
job-error = Ошибка { $code }: { $message }
job-state-queued = в очереди
job-state-running = выполняется
job-state-completed = выполнено
job-state-failed = не выполнено

## Errors
# Ошибка в чате, когда человек может исправить то, что она называет.
error-chat-warning = ⚠️ { $message }
error-validation = { $field }: { $reason }
validation-required = обязательно
validation-not-an-integer = должно быть целым числом
validation-out-of-range = должно быть от { $min } до { $max }
validation-unknown-value = должно быть одним из: { $allowed }
validation-consent-required = нужно ваше явное согласие на отправку сообщения на каждый код
validation-not-positive = должно быть больше нуля
validation-too-far-ahead = не может быть дальше чем через { $years } лет
validation-too-long = не длиннее { $max } символов
validation-taken = уже занято другим вашим планом
validation-wrong-type = должно быть типа { $expected }
validation-not-retryable = это не неудавшееся задание; повторить можно только неудавшуюся доставку
validation-no-linked-chat = у вас нет привязанного чата Telegram для доставки кодов; сначала откройте личный чат с ботом
validation-not-a-url = должен быть веб-адресом, например https://shop.example/hooks
validation-not-https = должен начинаться с https://
validation-private-target = указывает на локальный, частный или link-local адрес, который бот не вызывает
validation-unresolvable = содержит имя хоста, которое не удаётся найти
validation-still-pending = ещё доставляется; повторно отправляется только доставленное или отклонённое
error-not-found-plan = Такого плана нет. Отправьте /plans, чтобы увидеть свои.
error-not-found-job = Такого задания нет. Отправьте /status, чтобы увидеть свои.
error-not-found-invite = Ссылка-приглашение недействительна: её уже использовали, срок истёк или её не было. Попросите у оператора новую.
error-not-found-draft = Это меню устарело.
error-not-found-token = Такого токена нет. Отправьте /tokens, чтобы увидеть свои.
error-not-found-creator = В этой команде нет такого автора.
error-not-found-team = Ваша команда не найдена.
error-not-found-tier = Тариф вашей команды не найден.
error-authentication-required = Нужна аутентификация.
error-token-missing-ability = У этого токена нет права { $ability }.
error-rate-limited = Слишком много запросов. Попробуйте через { $seconds } с.
error-internal = У нас что-то пошло не так. Номер ошибки: { $reference }
delivery-failed-too-many-attempts = Задание прерывалось { $attempts } раз и остановлено; уже созданные коды сохранены.

## API tokens
tokens-empty = 🔑 У вас пока нет API-токенов. Токен позволяет ИИ-ассистенту (Claude Desktop, Cursor, любой MCP-клиент) генерировать и отслеживать ваши коды.
tokens-header = { $count ->
    [one] 🔑 Ваш { $count } API-токен:
    [few] 🔑 Ваши { $count } API-токена:
   *[other] 🔑 Ваши { $count } API-токенов:
}
token-line = • { $name } — { $abilities } — создан { $created_at } — использован { $last_used }
token-never-used = никогда
token-abilities-none = без прав
button-revoke-token = 🗑 Отозвать { $name }
button-new-token = ➕ Новый токен
token-draft =
    🔑 Новый API-токен «{ $name }»
    Отметьте, что ему можно, и нажмите «Создать». Токен показывается только один раз.
ability-mcp-full = подключаться по MCP и смотреть задания
ability-create-codes = генерировать коды и смотреть их стоимость
ability-view-codes = смотреть коды (скрытые)
ability-view-webhooks = читать доставки вебхуков
ability-manage-webhooks = повторно отправлять доставки вебхуков
button-create-token = ✅ Создать
token-pick-abilities = Отметьте права и нажмите «Создать».
token-created =
    🔑 Токен «{ $name }» создан ({ $abilities }).
    Скопируйте его сейчас: он показывается только один раз.

    { $token }

    Ассистент отправляет его как «Authorization: Bearer <token>» на MCP-адрес бота (/mcp). Отозвать можно в любой момент в /tokens.
token-created-short = Токен создан.
token-cancelled = Токен не создан.
token-revoked = Токен отозван.

## Redeeming
usage-redeem = Отправьте код, который вам дали, например /redeem ABCD-EFGH-JKMN (или просто отправьте сам код).
redeem-private-chat-only = Отправьте код боту в личном чате.
redeem-success = ✅ Код принят: у вас есть доступ к { $plan } { $until }.
access-lifetime = навсегда
access-until = до { $date }
access-ended = закончился { $date }
redeem-join = Нажмите «Вступить» ниже и отправьте заявку: бот сразу вас впустит. Ссылка только ваша; любого другого по ней не пустят.
redeem-invite-unavailable = Сейчас не удалось создать ссылку-приглашение; автору сообщили. Попробуйте /my чуть позже.
button-join = 🚪 Вступить в { $plan }
button-join-chat = 🚪 Вступить в { $chat }
redeem-unknown = ❌ Этот код недействителен. Проверьте его и отправьте снова.
redeem-already-redeemed = ❌ Этот код уже использован.
redeem-expired = ❌ Срок действия этого кода истёк.
redeem-plan-archived = ❌ План этого кода больше не предлагается.
redeem-too-many-attempts = ⏳ Слишком много неверных кодов. Попробуйте через { $minutes ->
    [one] { $minutes } минуту
    [few] { $minutes } минуты
   *[other] { $minutes } минут
} (в { $time }).
creator-code-redeemed = 🎟 Код { $code } активировал { $who } в плане { $plan }. Бесплатных активаций осталось в этом цикле: { $left } из { $allotment }.
subscriber-with-username = { $name } (@{ $username }, id { $id })
subscriber-without-username = { $name } (id { $id })
creator-code-redeemed-overage = Эта активация сверх вашего лимита и оплачивается как перерасход.
my-empty = У вас пока нет подписок. Отправьте код доступа, чтобы получить подписку.
my-header = Ваши подписки:
my-line = • { $plan } — { $state }

## Billing
billing-overview =
    💳 Тариф: { $tier } — { $allotment ->
        [one] { $allotment } бесплатная активация
        [few] { $allotment } бесплатные активации
       *[other] { $allotment } бесплатных активаций
    } за месячный цикл
    Цикл: { $start } → { $end }
    Использовано бесплатных активаций: { $free_used } из { $allotment } (осталось { $free_left })
    Активаций сверх лимита: { $overage } — ${ $cost } (${ $price } за каждую)
    Записей, ждущих отправки в Stripe: { $pending }; с ошибкой: { $failed }
    Генерация кодов бесплатна; считаются только активации.
billing-no-customer = ⚠️ У вашей команды ещё нет клиента Stripe, поэтому перерасход ждёт, пока оператор его не укажет. Ничего не теряется.
billing-failed-note = ⚠️ Stripe отклонил некоторые записи; причину оператор увидит в журнале.
tier-free = Free
tier-starter = Starter
tier-growth = Growth

## Codes
codes-pick-plan = 🎟 Коды какого плана? Выберите план.
codes-header =
    🎟 Коды «{ $plan }» — { $filter }, страница { $page } из { $pages }
    Не активированы { $unredeemed } · Активированы { $redeemed } · Истекли { $expired } · Все { $all }
codes-none = Кодов в этом состоянии нет.
code-line = • { $code } — { $state }
code-state-open = не активирован, бессрочный
code-state-expires = не активирован, истекает { $date }
code-state-expired = истёк { $date }
code-state-redeemed = активирован { $date }
code-filter-unredeemed = Не активированы
code-filter-redeemed = Активированы
code-filter-expired = Истекли
code-filter-all = Все
button-plans = ⬅ Планы

## Menu and language
creator-menu = 👋 Что хотите сделать?
menu-generate = 🎟 Сгенерировать
menu-plans = 📦 Планы
menu-jobs = 📋 Задания
menu-codes = 🔎 Коды
menu-help = ❓ Помощь
language-name = Русский
language-pick = Выберите язык:
language-chosen = Теперь бот говорит с вами по-русски.

## Field names in error messages
field-quantity = количество
field-export_type = способ доставки
field-expiry_preset = срок
field-custom_expiry_amount = свой срок
field-custom_expiry_type = единица срока
field-consent = согласие
field-plan_id = план
field-name = название
field-duration = срок доступа
field-linked_chat = привязанный чат
field-days = дни
field-job_id = задание
field-status = состояние
field-limit = размер страницы
field-page = страница
field-abilities = права
field-creator = автор
field-tier = тариф
field-url = URL
field-events = события
field-endpoint = адрес вебхука
field-delivery_id = delivery_id

## Dates
date-time = { $day } { $month } { $year }, { $time } UTC
month-1 = янв
month-2 = фев
month-3 = мар
month-4 = апр
month-5 = мая
month-6 = июн
month-7 = июл
month-8 = авг
month-9 = сен
month-10 = окт
month-11 = ноя
month-12 = дек

## Доступ к чатам
link-no-restrict-right = ⚠️ Бот не может удалять участников «{ $chat }». Включите ему право «Блокировать пользователей», иначе те, чей доступ закончился, останутся в чате.
button-plan-chats = 🔗 Чаты
plan-chats-header = Чаты, которые открывает «{ $plan }»:
plan-chat-line = • { $chat }
plan-chats-none = «{ $plan }» пока не открывает ни одного чата.
button-link-another = ➕ Подключить чат
button-unlink-chat = ✖️ { $chat }
chat-unlinked = «{ $chat }» больше не входит в «{ $plan }». Кого бот впустил, остаются до конца своего доступа.
join-declined = Вы попросились в «{ $chat }». Вход только для подписчиков: отправьте этому боту код доступа (или откройте ссылку с ним), затем нажмите «Вступить».
access-ended-notice = Ваш доступ к { $plan } закончился. Чтобы вернуться, отправьте боту другой код этого плана.
access-reminder = ⏳ Ваш доступ к { $plan } заканчивается { $date }. Чтобы продлить, отправьте боту ещё один код этого плана до этого срока: время прибавится к оставшемуся.
rights-problem-not_admin = ⚠️ Бот больше не администратор «{ $chat }» ({ $plan }). Подписчики не могут вступить, а тех, чей доступ закончился, нельзя удалить, пока вы снова не сделаете его администратором с правами «Приглашать по ссылке» и «Блокировать пользователей».
rights-problem-cannot_invite = ⚠️ Бот больше не может приглашать в «{ $chat }» ({ $plan }). Включите ему право «Приглашать по ссылке», чтобы подписчики могли вступить.
rights-problem-cannot_restrict = ⚠️ Бот не может удалять участников «{ $chat }» ({ $plan }): те, чей доступ закончился, остаются, пока вы не включите ему право «Блокировать пользователей». Тогда их удалят.
usage-check = Отправьте /check <id или @username>.
usage-remove = Отправьте /remove <id или @username>.
error-not-found-subscriber = Среди ваших подписчиков нет никого с таким id или именем.
error-not-found-chat = Этот чат не входит в план.
members-none = У вас пока нет планов. Создайте план командой /newplan.
members-header = 👥 Ваши участники:
members-line = • { $plan }: активных { $active }, в чатах { $admitted }, заканчиваются за 7 дней { $ending }, удалено в этом цикле { $removed }
check-header = 🔎 Пользователь { $user }:
check-none = 🔎 У пользователя { $user } нет подписок на ваши планы.
check-subscription = • { $plan } — { $state }
check-chat-admitted = ◦ { $chat }: в чате, впущен ботом { $date }
check-chat-present = ◦ { $chat }: в чате (впущен не ботом)
check-chat-absent = ◦ { $chat }: не в чате
remove-confirm = Закрыть сейчас все подписки пользователя { $user } на ваши планы и удалить его из чатов, куда его впустил бот?
button-remove-confirm = 🚫 Закрыть доступ
remove-done = { $count ->
    [0] У пользователя { $user } не было активных подписок на ваши планы.
    [one] Пользователь { $user }: закрыта { $count } подписка, его удаляют из её чатов.
    [few] Пользователь { $user }: закрыто { $count } подписки, его удаляют из их чатов.
   *[many] Пользователь { $user }: закрыто { $count } подписок, его удаляют из их чатов.
}
remove-cancelled = Ничего не изменилось.
page-of = (страница { $page } из { $pages })

## Webhooks
command-webhooks = Вебхуки: события в ваши системы
command-addwebhook = Добавить вебхук: /addwebhook https://…
webhooks-empty = Вебхуков пока нет. Вебхук отправляет события бота (созданные и активированные коды, подписки, участники) в ваш магазин, CRM или автоматизацию, с подписью. Добавьте его командой /addwebhook https://your.site/hooks
webhooks-header = { $count ->
    [one] 🔗 { $count } вебхук
    [few] 🔗 { $count } вебхука
   *[many] 🔗 { $count } вебхуков
}
webhook-line =
    { $url }
    События: { $events } · { $state }
    Последняя доставка: { $last } · неудач подряд: { $failures }
webhook-events-all = все события
webhook-state-active = активен
webhook-state-paused = приостановлен
webhook-state-paused-failures = приостановлен после 20 неудач подряд
webhook-state-paused-gone = приостановлен: получатель ответил 410 Gone
webhook-last-never = пока нет
webhook-last-no-answer = нет ответа, { $at }
webhook-card-hint = Отметьте события, которые он получает. Каждая доставка подписана секретом адреса (заголовок Accessbot-Signature); как её проверить, написано в README.
webhook-add-usage = Отправьте /addwebhook и адрес, который должен получать события, например /addwebhook https://shop.example/hooks — только https://. Он получает все события; лишние снимите в его карточке.
webhook-created =
    ✅ Вебхук { $url } добавлен; он получает все события.
    Его секрет подписи, показывается только сейчас:
    { $secret }
webhook-rotated =
    🔑 Новый секрет подписи для { $url }, показывается только сейчас:
    { $secret }
    24 часа доставки несут и подпись старым секретом, чтобы получатель успел перейти.
webhook-confirm-delete = Удалить вебхук { $url } вместе с журналом доставок? События перестанут туда уходить.
webhook-deleted = 🗑 Вебхук удалён.
webhook-test-queued = Тестовое событие поставлено в очередь
webhook-paused-toast = Приостановлен
webhook-resumed-toast = Возобновлён: ожидающие события уходят сейчас
webhook-redelivered = Отправлено снова
webhook-events-saved = События: { $events }
webhook-deliveries-empty = Доставок на { $url } пока нет.
webhook-deliveries-header = 📬 Последние доставки на { $url }
webhook-delivery-line = { $number }. { $event } — { $status } · HTTP { $code } · попыток: { $attempts } · следующая { $next }
webhook-delivery-pending = в пути
webhook-delivery-delivered = доставлено
webhook-delivery-dead = не доставлено (все попытки неудачны)
button-webhook-open = ⚙️ { $number }
button-webhook-add = ➕ Добавить вебхук
button-webhook-test = 🧪 Тестовое событие
button-webhook-pause = ⏸ Приостановить
button-webhook-resume = ▶️ Возобновить
button-webhook-deliveries = 📬 Доставки
button-webhook-rotate = 🔑 Новый секрет
button-webhook-delete = 🗑 Удалить
button-webhook-delete-yes = 🗑 Да, удалить
button-webhook-redeliver = 🔁 Повторить { $number }
webhook-paused-failures = ⏸ Ваш вебхук { $url } не ответил { $failures } раз подряд, бот приостановил его. События продолжают записываться; возобновите его в /webhooks, когда получатель снова будет отвечать.
webhook-paused-gone = ⏸ Ваш вебхук { $url } ответил 410 Gone, бот приостановил его. Возобновите его в /webhooks, если он снова должен получать события.

command-notify = Как сообщать об активациях
notice-redemptions = { $count ->
    [one] 🎟 Активирован { $count } код ({ $plans }): { $who }.
    [few] 🎟 Активировано { $count } кода ({ $plans }): { $who }.
   *[many] 🎟 Активировано { $count } кодов ({ $plans }): { $who }.
}
notice-redemptions-daily = { $count ->
    [one] 🗓 За последние сутки активирован { $count } код ({ $plans }): { $who }.
    [few] 🗓 За последние сутки активировано { $count } кода ({ $plans }): { $who }.
   *[many] 🗓 За последние сутки активировано { $count } кодов ({ $plans }): { $who }.
}
notice-and-more = { $names } и ещё { $more }
notice-redemptions-left = Бесплатных активаций осталось в этом цикле: { $left } из { $allotment }.
notice-redemptions-overage = { $count ->
    [one] { $count } из них сверх лимита и оплачивается как перерасход.
   *[other] { $count } из них сверх лимита и оплачиваются как перерасход.
}
notify-card = 🔔 Как сообщать об активациях кодов? Сейчас: { $current }. О неполадках с чатами и вебхуками бот сообщает сразу и всегда.
notify-each = О каждой
notify-daily = Сводка раз в день
notify-off = Не сообщать
notify-chosen = Активации: { $mode }.
delivery-failed-telegram-silent = Telegram не отвечал { $waited }. Ничего не потеряно: коды сохранены. Нажмите «📤 Доставить снова», когда Telegram снова заработает.
