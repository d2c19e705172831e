## PDF сертификата (A4, альбомная ориентация)
certificate-pdf-title = Сертификат
certificate-pdf-subtitle = о повышении квалификации
certificate-pdf-intro = Настоящий сертификат подтверждает, что
certificate-pdf-completed = успешно завершил(а) курс
certificate-pdf-course-title = «{ $course }»
certificate-pdf-hours = { $hours ->
    [one] в объёме { $hours } академического часа
   *[other] в объёме { $hours } академических часов
}
certificate-pdf-issued-on = Дата выдачи
certificate-pdf-serial = Номер сертификата
certificate-pdf-issuer = Кем выдан
certificate-pdf-verify = Чтобы проверить сертификат, отсканируйте QR-код или откройте ссылку:
certificate-pdf-document-title = Сертификат: { $name }
certificate-pdf-qr-alt = QR-код ссылки для проверки: { $url }
