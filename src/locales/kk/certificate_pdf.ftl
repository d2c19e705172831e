## Сертификаттың PDF нұсқасы (A4, көлденең)
certificate-pdf-title = Сертификат
certificate-pdf-subtitle = біліктілікті арттыру туралы
certificate-pdf-intro = Осы сертификат
certificate-pdf-completed = төмендегі курсты аяқтағанын растайды
certificate-pdf-course-title = «{ $course }»
certificate-pdf-hours = Көлемі: { $hours } академиялық сағат
certificate-pdf-issued-on = Берілген күні
certificate-pdf-serial = Сертификат нөмірі
certificate-pdf-issuer = Берген ұйым
certificate-pdf-verify = Сертификаттың түпнұсқалығын тексеру үшін QR-кодты сканерлеңіз немесе сілтемені ашыңыз:
certificate-pdf-document-title = Сертификат: { $name }
certificate-pdf-qr-alt = Тексеру сілтемесінің QR-коды: { $url }
