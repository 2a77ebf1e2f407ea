## Commands menu
command-start = Начало: что умеет этот бот
command-help = Как пользоваться ботом
command-redeem = Активировать код доступа
command-my = Ваши подписки и ссылки-приглашения
command-generate = Создать коды доступа для плана
command-newplan = Создать план
command-plans = Ваши планы
command-status = Как идут ваши задания
command-billing = Тариф, бесплатные активации и перерасход в этом цикле
command-codes = Ваши коды по планам, скрытые, по состоянию
command-batches = Партии кодов и что каждая принесла
command-resend = Доставить коды неудавшегося задания снова
command-cancel = Выйти из текущего меню или вопроса
command-language = Выбрать язык бота
command-members = Подписчики и участники по планам
command-check = Подписки и чаты одного человека
command-remove = Закрыть человеку доступ сейчас
command-revoke = Отозвать коды, которые ещё не активированы
command-rollback = Отменить активацию: забрать доступ, который дал код
command-tokens = API-токены для ИИ-ассистентов (MCP)
command-newtoken = Создать API-токен для ИИ-ассистента

## Welcome and help
help-everyone =
    👋 Этот бот открывает подписчикам доступ к закрытым каналам и группам Telegram.
    Автор канала дал вам код доступа? Отправьте его сюда, и бот пришлёт кнопку «Вступить».
help-creator =
    👋 Создайте план, создайте для него коды и продавайте их как удобно.
    Кто активирует код, того бот пустит в ваши чаты, а когда доступ закончится — удалит.
    Выберите нужное; все команды — в разделе «Ещё».
not-a-creator = Это для авторов. Чтобы продавать доступ к своему каналу через этого бота, попросите у его оператора ссылку-приглашение.
unknown-message = Чтобы получить доступ, отправьте код, который дал вам автор канала. Уже активировали код? Нажмите «Мои подписки».
invite-accepted =
    🎉 Добро пожаловать! Теперь вы можете продавать доступ к своим закрытым каналам и группам по кодам.
    Начните с плана: на какой срок доступ и какие чаты он открывает.
invite-already-creator = Вы уже автор.
invite-private-chat-only = Откройте ссылку-приглашение в личном чате с ботом.

## Plans
plan-created = ✅ План «{ $name }» создан: { $duration }.
plans-empty = Планов пока нет. План задаёт срок доступа и чаты, которые он открывает.
plans-header = { $count ->
    [one] Ваш план:
   *[other] Ваши планы ({ $count }):
}
plan-line = • { $name } — { $duration } ({ $status }, { $linked })
plan-status-active = активен
plan-status-archived = в архиве
plan-chat-linked = { $count ->
    [one] { $count } чат привязан
    [few] { $count } чата привязано
   *[many] { $count } чатов привязано
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
    Или нажмите «Пропустить»: привязать чат можно позже в разделе «Планы».
button-pick-channel = 📢 Выбрать канал
button-pick-group = 👥 Выбрать группу
button-skip = Пропустить
link-not-admin = ⚠️ Бот не является администратором в «{ $chat }». Назначьте его администратором с правом «Пригласительные ссылки» и выберите чат снова.
link-no-invite-right = ⚠️ Бот — администратор в «{ $chat }», но не может приглашать пользователей. Включите ему право «Пригласительные ссылки» и выберите чат снова.
link-done = ✅ «{ $chat }» привязан к «{ $plan }». Каждый, кто активирует код, получит кнопку «Вступить»; бот впускает только тех, чья подписка активна, и удаляет их, когда она заканчивается.
link-skipped = Чат пока не привязан. Привязать его можно в любой момент в разделе 📦 Планы.
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
wizard-amount = Сколько { $unit }? Отправьте число.
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
usage-generate = В однострочной команде нужны план, количество, способ доставки и срок кодов. Нажмите «Создать коды», чтобы ответить по шагам, или посмотрите формат команды в разделе «Ещё».
generate-card =
    🎟 { $quantity ->
        [one] { $quantity } код
        [few] { $quantity } кода
       *[other] { $quantity } кодов
    } для плана «{ $plan }»
    Неиспользованные коды { $expiry }.
    Доставка: { $delivery }.
    { $cost_line }
generate-card-uses = 👥 Каждый код впускает до { $uses } человек, каждого один раз.
generate-card-prefix = 🔤 Коды будут такими: { $example }
generate-card-for-new = 👤 Активировать их могут только те, кто у вас ещё не подписывался.
generate-card-for-returning = 🔁 Активировать их могут только те, чья подписка на этот план закончилась.
generate-card-label = 🏷 Партия: { $label }
generate-card-messages-note = Отправка { $count ->
    [one] { $count } сообщения
   *[other] { $count } сообщений
} в этот чат займёт { $duration } в темпе Telegram. Нажмите «Подтверждаю», чтобы начать.
delivery-file = один CSV-файл в этот чат
delivery-messages = по сообщению на код в этот чат
expiry-never = не истекают
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
button-generate = ✅ Создать коды
button-agree-messages = ✅ Подтверждаю
button-cancel = ✖ Отмена
generate-cancelled = Отменено. Коды не созданы.
button-options = ⚙️ Параметры
generate-options = ⚙️ Параметры партии:
generate-option-uses = 👥 Человек на код: { $uses }
generate-option-prefix = 🔤 Коды будут такими: { $example }
generate-option-prefix-none = 🔤 Без префикса
generate-option-who-anyone = 👤 Активировать может любой
generate-option-who-new = 👤 Только те, кто у вас ещё не подписывался
generate-option-who-returning = 🔁 Только те, чья подписка на этот план закончилась
generate-option-label = 🏷 Партия: { $label }
generate-option-label-none = 🏷 Без названия
button-option-uses = 👥 Человек на код
button-option-prefix = 🔤 Префикс
button-option-label = 🏷 Название
button-who-anyone = Любой
button-who-new = Новые
button-who-returning = Вернувшиеся
generate-ask-uses = 👥 Отправьте, сколько человек может активировать каждый код: число от 1 до 100 000. Каждый человек может активировать код один раз.
generate-ask-prefix = 🔤 Отправьте префикс кодов: от 2 до 6 латинских букв A–Z или цифр, например VIP.
generate-ask-label = 🏷 Отправьте название партии, не длиннее 64 символов, например «Реселлер Анна».
button-option-one-use = Один человек на код
button-option-no-prefix = Без префикса
button-option-no-label = Без названия
generate-queued = В очереди: { $what }.
generate-already-queued = Уже в очереди.
menu-expired = Это меню устарело.

## Job progress
job-status-queued = ⏳ { $what }: в очереди.
job-status-generating = ⚙️ { $what }: создаются…
job-status-delivering =
    📤 { $what }: доставка…
    { $bar } { $percent }%
    доставлено { $done } из { $total }
job-status-telegram-not-answering =
    ⏸ { $what }: Telegram не отвечает, пробуем снова…
    Уже доставлено { $done } из { $total }; ничего не потеряно.
job-status-eta = Осталось { $duration }.
button-status = 📋 Подробнее
button-generate-more = ➕ Создать ещё
job-status-failed = ❌ { $what }: { $reason }
csv-caption-expiring = { $count ->
    [one] { $count } код
    [few] { $count } кода
   *[other] { $count } кодов
} для плана «{ $plan }». Истекают { $expires_at }.
csv-caption-no-expiry = { $count ->
    [one] { $count } код
    [few] { $count } кода
   *[other] { $count } кодов
} для плана «{ $plan }». Срок действия не ограничен.
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
jobs-empty = Вы ещё не создавали коды.
jobs-header = Последние задания; нажмите, чтобы открыть:
button-job = { $state }{ $kind } { $plan } · { $quantity } · { $when }
button-refresh = 🔄 Обновить
button-retry-delivery = 📤 Доставить снова
button-jobs = ⬅ Задания
usage-resend = Чтобы доставить коды неудавшегося задания снова, откройте его в разделе 📋 Задания и нажмите 📤 Доставить снова.
delivery-retried = 📤 Доставляем снова.
job-details =
    { $what }
    Доставка: { $delivery }
    Коды { $expiry }
    Состояние: { $status } (доставлено { $delivered } из { $quantity })
    В очереди с { $enqueued_at }
job-error = Ошибка: { $message }
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
validation-private-target = указывает на адрес во внутренней или локальной сети, куда бот не обращается
validation-unresolvable = содержит имя хоста, которое не удаётся найти
validation-still-pending = ещё доставляется; повторно отправляется только доставленное или отклонённое
validation-one-of = укажите ровно одно из: { $fields }
validation-not-a-prefix = должно быть от 2 до 6 латинских букв A–Z или цифр
validation-not-redeemed = ещё не активирован, отменять нечего
validation-rolled-back = уже отменена
error-not-found-plan = Плана с таким названием нет.
error-not-found-job = Среди ваших заданий такого нет.
error-not-found-invite = Ссылка-приглашение недействительна: её уже использовали, срок истёк или её не было. Попросите у оператора новую.
error-not-found-draft = Это меню устарело.
error-not-found-token = Среди ваших токенов такого нет.
error-not-found-creator = В этой команде нет такого автора.
error-not-found-team = Ваша команда не найдена.
error-not-found-tier = Тариф вашей команды не найден.
error-authentication-required = Нужна аутентификация.
error-token-missing-ability = У этого токена нет права { $ability }.
error-rate-limited = Слишком много запросов. Попробуйте через { $seconds } с.
error-internal = Что-то пошло не так на нашей стороне. Номер ошибки: { $reference }
delivery-failed-too-many-attempts = Задание прерывалось { $attempts } раз и остановлено; уже созданные коды сохранены.

## API tokens
tokens-empty = 🔑 API-токенов пока нет. Токен позволяет вашему ИИ-ассистенту (Claude Desktop, Cursor или любому MCP-клиенту) создавать коды и следить за ними.
tokens-header = { $count ->
    [one] 🔑 Ваш API-токен:
   *[other] 🔑 Ваши API-токены ({ $count }):
}
token-line =
    • { $name }: { $abilities }
      создан { $created_at }; { $last_used }
token-never-used = ещё не использовался
token-abilities-none = пока ничего
button-revoke-token = 🗑 Отозвать «{ $name }»
button-new-token = ➕ Новый токен
token-draft =
    🔑 Новый API-токен «{ $name }»
    Отметьте, что ему разрешено, и нажмите «Создать». Чтобы назвать его иначе, отправьте название. Токен показывается только один раз.
ability-mcp-full = Подключать ИИ-ассистента
ability-create-codes = Создавать коды
ability-view-codes = Видеть коды
ability-view-webhooks = Видеть доставки вебхуков
ability-manage-webhooks = Повторять доставки вебхуков
ability-revoke-codes = Отзывать коды
button-create-token = ✅ Создать
token-pick-abilities = Отметьте разрешения и нажмите «Создать».
token-created =
    🔑 Токен «{ $name }» создан. Разрешено: { $abilities }.
    Скопируйте его сейчас: он показывается только один раз.

    { $token }

    Вставьте его в настройки ассистента для MCP-адреса этого бота (/mcp); он передаётся в заголовке Authorization как Bearer-токен. Отозвать его можно в любой момент в разделе 🔑 ИИ-ассистенты.
token-created-short = Токен создан.
token-cancelled = Токен не создан.
token-revoked = Токен отозван.

## Redeeming
usage-redeem = Отправьте полученный код, например /redeem ABCD-EFGH-JKMN, или просто сам код.
redeem-private-chat-only = Отправьте код боту в личном чате.
redeem-success = ✅ Код принят: у вас есть доступ по плану «{ $plan }» { $until }.
access-lifetime = навсегда
access-until = до { $date }
access-ended = закончился { $date }
redeem-join = Нажмите «Вступить» ниже и отправьте заявку: бот сразу вас впустит. Ссылка только ваша; любого другого по ней не пустят.
redeem-invite-unavailable = Ссылку-приглашение сейчас создать не удалось; автор канала уже знает. Нажмите «Мои подписки» чуть позже, чтобы получить её.
button-join = 🚪 Вступить: «{ $plan }»
button-join-chat = 🚪 Вступить: «{ $chat }»
redeem-unknown = ❌ Этот код недействителен. Проверьте его и отправьте снова.
redeem-already-redeemed = ❌ Этот код уже активирован. Если это были вы, нажмите «Мои подписки»; если нет — попросите у автора новый код.
redeem-expired = ❌ Срок действия этого кода истёк. Попросите у автора новый код.
redeem-not-new = ❌ Этот код только для новых подписчиков, а у вас уже была подписка у этого автора. Код остаётся неиспользованным.
redeem-not-returning = ❌ Этот код продлевает закончившуюся подписку на этот план, а закончившейся подписки у вас нет. Код остаётся неиспользованным.
redeem-plan-archived = ❌ План этого кода больше не продаётся. Спросите у автора, что делать.
redeem-too-many-attempts = ⏳ Слишком много неверных кодов. Попробуйте через { $minutes ->
    [one] { $minutes } минуту
    [few] { $minutes } минуты
   *[other] { $minutes } минут
} (в { $time }).
creator-code-redeemed = 🎟 Код { $code } активировал { $who }, план «{ $plan }». Бесплатных активаций в этом цикле осталось: { $left } из { $allotment }.
subscriber-with-username = { $name } (@{ $username }, id { $id })
subscriber-without-username = { $name } (id { $id })
creator-code-redeemed-overage = Эта активация сверх бесплатных и оплачивается отдельно.
my-empty = У вас пока нет подписок. Отправьте код доступа от автора канала, чтобы оформить подписку.
my-header = Ваши подписки:
my-line = • { $plan } — { $state }

## Billing
billing-overview =
    💳 Тариф «{ $tier }»: осталось { $free_left } из { $allotment } бесплатных активаций до { $end }. Дальше — { $price } за каждую.
billing-no-customer = ⚠️ Платные активации пока не выставлены к оплате: оператор не подключил вашу команду к Stripe. Ничего не потеряно; попросите оператора это настроить.
billing-failed-note = ⚠️ Stripe отклонил часть списаний. Попросите оператора посмотреть журнал бота: там указана причина.
tier-free = Бесплатный
tier-starter = Стартовый
tier-growth = Рост

## Codes
codes-pick-plan = 🎟 Коды какого плана? Выберите план.
codes-header =
    🎟 Коды плана «{ $plan }»: { $filter }, страница { $page } из { $pages }
    Не активировано: { $unredeemed } · активировано: { $redeemed } · истекло: { $expired } · отозвано: { $revoked } · всего: { $all }
codes-of-batch = 🏷 Партия: { $batch }
button-batch = ⬅ Партия
codes-none = Кодов в этом состоянии нет.
code-line = • { $code } — { $state }
code-state-open = не активирован, срок не ограничен
code-state-expires = не активирован, истекает { $date }
code-state-expired = истёк { $date }
code-state-redeemed = активирован { $date }
code-state-revoked = отозван { $date }
code-uses = использован { $used } из { $max }
code-state-uses = { $state } · { $uses }
code-filter-unredeemed = Не активированы
code-filter-redeemed = Активированы
code-filter-expired = Истекли
code-filter-revoked = Отозваны
code-filter-all = Все
button-plans = ⬅ Планы

## Menu and language
creator-menu = 👋 Что нужно сделать?
menu-generate = 🎟 Создать коды
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
field-days = число дней
field-job_id = задание
field-status = состояние
field-limit = размер страницы
field-cursor = cursor
field-page = страница
field-abilities = права
field-creator = автор
field-tier = тариф
field-url = адрес
field-events = события
field-endpoint = адрес вебхука
field-delivery_id = доставка
field-label = метка партии
field-prefix = префикс
field-eligibility = кто может активировать
field-option = параметр
field-max_redemptions = число активаций кода
field-redemption_id = активация
field-since = начиная с
field-revoke_code = отзыв кода
field-batch_id = партия
field-code = код
field-dry_run = dry_run
field-target = что отозвать

## Dates
date-time = { $day } { $month } { $year }, { $time } UTC
month-1 = января
month-2 = февраля
month-3 = марта
month-4 = апреля
month-5 = мая
month-6 = июня
month-7 = июля
month-8 = августа
month-9 = сентября
month-10 = октября
month-11 = ноября
month-12 = декабря

## Доступ к чатам
link-no-restrict-right = ⚠️ Бот не может удалять участников «{ $chat }». Включите ему право «Блокировка пользователей», иначе те, чей доступ закончился, останутся в чате.
button-plan-chats = 🔗 Чаты
plan-chats-header = Чаты, которые открывает «{ $plan }»:
plan-chat-line = • { $chat }
plan-chats-none = «{ $plan }» пока не открывает ни одного чата.
button-link-another = ➕ Привязать чат
button-unlink-chat = ✖️ { $chat }
chat-unlinked = «{ $chat }» больше не входит в план «{ $plan }». Кого бот уже впустил, останутся до конца своего доступа.
join-declined = Вы попросились в «{ $chat }». Вход только для подписчиков: отправьте этому боту код доступа (или откройте ссылку с ним), затем нажмите «Вступить».
access-ended-notice = Ваш доступ по плану «{ $plan }» закончился. Чтобы вернуться, отправьте боту новый код этого плана.
access-reminder = ⏳ Ваш доступ по плану «{ $plan }» заканчивается { $date }. Чтобы продлить его, отправьте боту ещё один код этого плана до этого срока: время прибавится к оставшемуся.
rights-problem-not_admin = ⚠️ Бот больше не администратор в «{ $chat }» (план «{ $plan }»). Подписчики не могут вступить, а тех, чей доступ закончился, нельзя удалить, пока вы снова не назначите его администратором с правами «Пригласительные ссылки» и «Блокировка пользователей».
rights-problem-cannot_invite = ⚠️ Бот больше не может приглашать в «{ $chat }» (план «{ $plan }»). Включите ему право «Пригласительные ссылки», чтобы подписчики могли вступить.
rights-problem-cannot_restrict = ⚠️ Бот не может удалять участников «{ $chat }» (план «{ $plan }»): те, чей доступ закончился, останутся, пока вы не включите ему право «Блокировка пользователей». Тогда их удалят.
usage-check = Отправьте /check и Telegram-id или @username человека, например /check @anna.
batches-header-all = 🏷 Ваши партии, сначала новые
batches-header-plan = 🏷 Партии плана «{ $plan }», сначала новые
batches-empty = Партий пока нет: каждая генерация создаёт партию. Назовите её через label= в конце /generate, например /generate VIP 100 file 1_month label=Реселлер Анна.
batch-unlabeled = { $count ->
    [one] { $count } код от { $date }
    [few] { $count } кода от { $date }
   *[other] { $count } кодов от { $date }
}
batch-line =
    • { $name } — «{ $plan }», { $date }
      не активировано: { $unredeemed } · активировано: { $redeemed } · истекло: { $expired } · отозвано: { $revoked }
batch-line-unlabeled =
    • { $name } — «{ $plan }»
      не активировано: { $unredeemed } · активировано: { $redeemed } · истекло: { $expired } · отозвано: { $revoked }
batch-card =
    🏷 { $name }
    Партия { $of_size } плана «{ $plan }», создана { $date }; неиспользованные коды { $expiry }.
    Не активировано: { $unredeemed } · активировано: { $redeemed } · истекло: { $expired } · отозвано: { $revoked }
    Активировали: { $funnel_redeemed } → вступили в чат: { $joined } → доступ ещё действует: { $active }
button-batch-codes = 🎟 Коды
button-plan-batches = 🏷 Партии
button-batches = ⬅ Партии
usage-batches = Отправьте /batches или /batches с названием плана.
button-export-redemptions = 📤 Выгрузить активации
export-caption-batch = { $count ->
    [one] { $count } активация партии «{ $label }».
    [few] { $count } активации партии «{ $label }».
   *[other] { $count } активаций партии «{ $label }».
}
export-caption-plan = { $count ->
    [one] { $count } активация плана «{ $plan }».
    [few] { $count } активации плана «{ $plan }».
   *[other] { $count } активаций плана «{ $plan }».
}
export-none = Выгружать нечего: ни один код здесь ещё не активирован.
usage-revoke = Отправьте /revoke и код, например /revoke ABCD-EFGH-JKMN, или название плана, чтобы отозвать все его неактивированные коды. Коды партии отзываются с её карточки в /batches.
revoke-confirm-code = Отозвать код { $code }? После этого его никто не сможет активировать.
of-codes = { $size ->
    [one] из { $size } кода
   *[other] из { $size } кодов
}
revoke-confirm-batch = { $count ->
    [one] Отозвать { $count } неактивированный код партии { $of_size } «{ $plan }» от { $date }? После этого его никто не сможет активировать; у тех, кто уже активировал коды, доступ останется.
    [few] Отозвать { $count } неактивированных кода партии { $of_size } «{ $plan }» от { $date }? После этого их никто не сможет активировать; у тех, кто уже активировал коды, доступ останется.
   *[other] Отозвать { $count } неактивированных кодов партии { $of_size } «{ $plan }» от { $date }? После этого их никто не сможет активировать; у тех, кто уже активировал коды, доступ останется.
}
revoke-confirm-plan = { $count ->
    [one] Отозвать { $count } неактивированный код плана «{ $plan }»? После этого его никто не сможет активировать; у тех, кто уже активировал коды, доступ останется.
    [few] Отозвать { $count } неактивированных кода плана «{ $plan }»? После этого их никто не сможет активировать; у тех, кто уже активировал коды, доступ останется.
   *[other] Отозвать { $count } неактивированных кодов плана «{ $plan }»? После этого их никто не сможет активировать; у тех, кто уже активировал коды, доступ останется.
}
button-revoke = { $count ->
    [one] 🚫 Отозвать { $count } код
    [few] 🚫 Отозвать { $count } кода
   *[other] 🚫 Отозвать { $count } кодов
}
button-revoke-unredeemed = 🚫 Отозвать неактивированные
revoke-nothing-batch = Отзывать нечего: в этой партии «{ $plan }» не осталось кодов, которые можно активировать.
revoke-nothing-plan = Отзывать нечего: у плана «{ $plan }» не осталось кодов, которые можно активировать.
revoke-code-redeemed = Код { $code } активирован { $date }, поэтому отозвать его нельзя.
revoke-code-expired = Срок кода { $code } истёк { $date }: активировать его уже нельзя.
revoke-code-revoked = Код { $code } уже отозван { $date }.
revoke-code-gone = Код { $code } только что активировали или отозвали.
revoked-code = 🚫 Код { $code } отозван: активировать его больше нельзя.
revoked-codes = { $count ->
    [one] 🚫 { $count } код плана «{ $plan }» отозван: активировать его больше нельзя.
    [few] 🚫 { $count } кода плана «{ $plan }» отозваны: активировать их больше нельзя.
   *[other] 🚫 { $count } кодов плана «{ $plan }» отозваны: активировать их больше нельзя.
}
revoked-none = Ничего не отозвано: эти коды тем временем активировали или отозвали.
revoke-cancelled = Ничего не отозвано.
rollback-cancelled = Ничего не отменено.
usage-rollback = Отправьте /rollback и активированный код, например /rollback ABCD-EFGH-JKMN. Или откройте /check с этим человеком: у каждой подписки, которую дал код, там есть кнопка отмены.
rollback-pick = Код { $code } активировали несколько человек. Чью активацию отменить?
button-rollback-pick = { $name } · { $date }
button-rollback-of = ↩️ Отменить: { $plan }
rollback-confirm = ↩️ Отменить активацию кода { $code } ({ $plan }) пользователем { $name }?
rollback-access-ends = Доступ закончится сейчас, и человека удалят из чатов, которые не покрывает другая его подписка.
rollback-access-shortened = Доступ сократится на то, что добавил код: теперь он закончится { $date }.
rollback-access-unchanged = Доступ не изменится: из добавленного кодом ничего не осталось.
rollback-billing-free = Активация была бесплатной в этом цикле, и бесплатная активация вернётся к вам.
rollback-billing-earlier-cycle = Код активировали в прошлом расчётном цикле, поэтому счёт не изменится.
rollback-billing-voided = Одно платное превышение этого цикла будет снято до отправки в Stripe.
rollback-billing-cancelled = Одно платное превышение, отправленное в Stripe меньше суток назад, будет там отменено.
rollback-billing-stays = Плата за превышение ушла в Stripe больше суток назад, отменить её уже нельзя: она останется в счёте.
rollback-pick-code = Затем выберите: отозвать код или снова сделать его годным для активации.
button-rollback-revoke = 🚫 Отменить и отозвать код
button-rollback-reopen = 🔓 Отменить, код снова годен
rollback-done = ↩️ Активация кода { $code } ({ $plan }) пользователем { $name } отменена.
rollback-code-revoked = Код отозван.
rollback-code-reopened = Код можно активировать снова.
error-not-found-code = Среди ваших кодов такого нет.
error-not-found-batch = Среди ваших партий такой нет.
error-not-found-redemption = Среди активаций ваших кодов такой нет.
usage-remove = Отправьте /remove и Telegram-id или @username человека, например /remove @anna.
error-not-found-subscriber = Среди ваших подписчиков нет никого с таким id или именем.
error-not-found-chat = Этот чат не входит в план.
members-none = Планов пока нет, а значит, и участников.
members-header = 👥 Ваши участники:
members-line = • «{ $plan }»: активных подписок — { $active }, в чатах — { $admitted }, истекают в ближайшие 7 дней — { $ending }, удалено в этом цикле — { $removed }
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
command-addwebhook = Добавить вебхук
webhooks-empty = Вебхуков пока нет. Вебхук отправляет события бота (созданные и активированные коды, подписки, участники) в ваш магазин, CRM или автоматизацию, с подписью.
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
webhook-created =
    ✅ Вебхук { $url } добавлен; он получает все события.
    Его секрет подписи, показывается только сейчас:
    { $secret }
webhook-rotated =
    🔑 Новый секрет подписи для { $url }, показывается только сейчас:
    { $secret }
    Ещё 24 часа доставки подписываются и старым секретом, чтобы получатель успел перейти на новый.
webhook-confirm-delete = Удалить вебхук { $url } вместе с журналом доставок? События перестанут туда уходить.
webhook-deleted = 🗑 Вебхук удалён.
webhook-test-queued = Тестовое событие поставлено в очередь
webhook-paused-toast = Приостановлен
webhook-resumed-toast = Возобновлён: ожидающие события уходят сейчас
webhook-redelivered = Отправлено снова
webhook-events-saved = События: { $events }
webhook-events-saved-count = События: { $count } из { $all } типов. Какие — видно на карточке.
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
webhook-paused-failures = ⏸ Ваш вебхук { $url } не ответил { $failures } раз подряд, и бот приостановил его. События по-прежнему записываются; возобновите его в разделе «Вебхуки», когда получатель снова заработает.
webhook-paused-gone = ⏸ Ваш вебхук { $url } ответил 410 Gone, и бот приостановил его. Возобновите его в разделе «Вебхуки», если он снова должен получать события.

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
notice-redemptions-left = Бесплатных активаций в этом цикле осталось: { $left } из { $allotment }.
notice-redemptions-overage = { $count ->
    [one] { $count } из них сверх бесплатных и оплачивается отдельно.
   *[other] { $count } из них сверх бесплатных и оплачиваются отдельно.
}
notify-card = 🔔 Как сообщать об активациях кодов? Сейчас выбрано: «{ $current }». О неполадках с чатами и вебхуками бот сообщает сразу и всегда.
notify-each = О каждой
notify-daily = Сводка раз в день
notify-off = Не сообщать
notify-chosen = Активации: { $mode }.
delivery-failed-telegram-silent = Telegram не отвечал { $waited }. Ничего не потеряно: коды сохранены. Нажмите «📤 Доставить снова», когда Telegram снова заработает.

job-what = { $quantity ->
    [one] { $quantity } код «{ $plan }»
    [few] { $quantity } кода «{ $plan }»
   *[other] { $quantity } кодов «{ $plan }»
}
job-status-done-file = { $count ->
    [one] ✅ { $count } код «{ $plan }» готов: CSV-файл ниже.
    [few] ✅ { $count } кода «{ $plan }» готовы: CSV-файл ниже.
   *[other] ✅ { $count } кодов «{ $plan }» готовы: CSV-файл ниже.
}
job-status-done-messages = { $count ->
    [one] ✅ { $count } код «{ $plan }» готов: он в сообщении ниже.
    [few] ✅ { $count } кода «{ $plan }» готовы: каждый в отдельном сообщении ниже.
   *[other] ✅ { $count } кодов «{ $plan }» готовы: каждый в отдельном сообщении ниже.
}
job-status-done-nothing = 🚫 Ни один код «{ $plan }» не отправлен: все отозваны до отправки.
job-status-left-out-revoked = { $count ->
    [one] 🚫 { $count } код отозван до отправки и не отправлен.
    [few] 🚫 { $count } кода отозваны до отправки и не отправлены.
   *[other] 🚫 { $count } кодов отозваны до отправки и не отправлены.
}
job-icon-queued = ⏳
job-icon-running = ⚙️
job-icon-completed = ✅
job-icon-failed = ❌
export-icon-file = 📄
export-icon-messages = 💬
job-reference = Номер для поддержки: { $job_id }
time-today = сегодня { $time }
time-yesterday = вчера { $time }
time-this-year = { $day } { $month }, { $time }
number-group-separator = { "\u00A0" }
number-decimal-separator = ,
money-usd = { $amount }{ "\u00A0" }$

help-reference =
    📖 Все команды (их же показывает меню рядом с полем ввода):
    /start — меню; /help — что умеет бот
    /generate — коды для плана, по шагам
      или одной строкой: /generate <план> <количество> <file|messages> <срок> [uses=<сколько человек на код>] [prefix=<2–6 букв>] [for=new|returning] [label=<название партии>], например /generate VIP 100 file 1_month prefix=VIP label=Реселлер Анна
    /newplan — новый план (или одной строкой: /newplan VIP 30d)
    /plans — переименовать, архивировать и вернуть планы; привязать и отвязать их чаты
    /codes — ваши коды по планам и состояниям; /batches — партии и что каждая принесла; /revoke <код, план или партия> — отозвать ещё не активированные коды; /rollback <код> — отменить активацию
    /status — последние задания; /resend <номер задания> — доставить коды неудавшегося задания ещё раз
    /members — участники по планам; /check <id или @username> — один человек; /remove <id или @username> — закрыть ему доступ сейчас
    /billing — сколько бесплатных активаций осталось и сколько стоят остальные
    /notify — как сообщать об активациях
    /tokens — API-токены для ИИ-ассистента; /newtoken <название> — новый токен
    /webhooks — отправка событий в ваши системы; /addwebhook <адрес> — новый вебхук
    /language — язык бота; /cancel — выйти из текущего вопроса
    /my — ваши собственные подписки; /redeem <код> — активировать код
how-it-works =
    💡 Как это работает:
    1. План задаёт срок доступа (месяц, год, навсегда) и каналы и группы, которые он открывает. Бот должен быть там администратором.
    2. Вы генерируете коды для плана и продаёте или дарите их как удобно.
    3. Кто отправит боту код, получит кнопку «Вступить». Бот впускает только людей с действующим доступом и удаляет их, когда доступ заканчивается, заранее напомнив.
    Об активациях бот сообщает здесь.
unknown-message-creator = С этим сообщением боту нечего делать. Выберите нужное:
button-my-subscriptions = 📋 Мои подписки
menu-members = 👥 Участники
menu-billing = 💳 Оплата
menu-webhooks = 🔗 Вебхуки
menu-tokens = 🔑 ИИ-ассистенты
menu-notify = 🔔 Уведомления
menu-language = 🌐 Язык
menu-newplan = ➕ Новый план
menu-how = 💡 Как это работает
menu-more = 📖 Ещё
billing-overage = { $count ->
    [one] В этом цикле пока { $count } платная активация на { $cost }.
    [few] В этом цикле пока { $count } платные активации на { $cost }.
   *[other] В этом цикле пока { $count } платных активаций на { $cost }.
}
billing-codes-free = Создавать коды всегда бесплатно; считаются только активации.
date-day = { $day } { $month }
generate-card-cost = { $chargeable ->
    [0] Все активации уложатся в бесплатные (в этом цикле осталось { $free_left }).
   *[other] Если активируют все: бесплатных { $free }, платных { $chargeable }, всего { $cost }.
}

button-first-plan = ➕ Создать первый план
token-used-at = последнее использование { $at }
token-tick-one = Отметьте хотя бы одно разрешение.
token-may-now = Разрешено: { $abilities }.
token-default-name = ИИ-ассистент { $number }
token-named = ✏️ Токен теперь называется «{ $name }».
ask-abilities-required = Отметьте хотя бы одно разрешение для токена.
ask-consent-consent-required = Нажмите «Подтверждаю», чтобы получить каждый код отдельным сообщением.
ask-custom_expiry_amount-not-an-integer = Отправьте целое число, например 3.
ask-custom_expiry_amount-not-positive = Отправьте число больше нуля.
ask-custom_expiry_amount-required = Отправьте количество числом.
ask-custom_expiry_amount-too-far-ahead = Срок действия кодов — не больше { $years } лет. Отправьте число поменьше.
ask-days-not-positive = Отправьте число дней больше нуля, например 30.
ask-days-not-an-integer = Отправьте число дней, например 30.
ask-duration-not-positive = Отправьте срок, например 30d, 2w, 6mo, 1y или «навсегда».
ask-duration-unknown-value = Отправьте срок, например 30d, 2w, 6mo, 1y или «навсегда».
ask-duration-too-far-ahead = Доступ — не больше { $years } лет. Отправьте срок покороче.
ask-job_id-not-retryable = Доставить снова можно только задание, доставка которого не удалась.
ask-linked_chat-no-linked-chat = Сначала откройте личный чат с ботом: коды приходят туда.
ask-name-required = Отправьте название.
ask-name-taken = План с таким названием уже есть. Отправьте другое.
ask-name-too-long = Отправьте название покороче: не больше { $max } символов.
ask-label-too-long = Сократите метку партии: не больше { $max } символов.
ask-max_redemptions-not-an-integer = Укажите целым числом, сколько человек может активировать каждый код, например 100.
ask-max_redemptions-out-of-range = Один код могут активировать от { $min } до { $max } человек.
ask-code-not-redeemed = Этот код ещё никто не активировал, отменять нечего. Чтобы его больше нельзя было активировать, отзовите его.
ask-redemption_id-rolled-back = Эта активация уже отменена.
ask-prefix-not-a-prefix = Префикс — от 2 до 6 латинских букв A–Z или цифр, например prefix=VIP.
ask-eligibility-unknown-value = Укажите, кто может активировать: for=new, for=returning или for=anyone.
ask-option-unknown-value = После срока /generate принимает uses=<сколько человек на код>, prefix=<2–6 букв или цифр>, for=<new, returning или anyone> и label=<название партии>.
ask-quantity-not-an-integer = Отправьте целое число от 1 до 1 000.
ask-quantity-out-of-range = Отправьте число от { $min } до { $max }.
ask-url-not-a-url = Отправьте веб-адрес, например https://shop.example/hooks.
ask-url-not-https = Адрес должен начинаться с https://. Отправьте его снова.
ask-url-private-target = Этот адрес во внутренней сети, туда бот не обращается. Отправьте публичный адрес.
ask-url-unresolvable = Такой хост не найден. Проверьте адрес и отправьте снова.
ask-delivery_id-still-pending = Эта доставка ещё в пути; повторить можно только доставленную или неудавшуюся.
webhook-ask-address = 🔗 Отправьте адрес, куда отправлять события. Он должен начинаться с https://, например https://shop.example/hooks. Туда пойдут все события; лишние можно отключить в карточке вебхука.

ask-export_type-unknown-value = Укажите способ доставки: file (файл) или messages (сообщения).
ask-expiry_preset-unknown-value = Укажите срок неиспользованных кодов: no_expiry, 1_day, 1_week, 1_month, 1_year или число и единицу, например 3_months.
ask-custom_expiry_type-unknown-value = Укажите единицу: days, weeks, months или years, например 3_months.

unit-days-how-many = дней
unit-weeks-how-many = недель
unit-months-how-many = месяцев
unit-years-how-many = лет
