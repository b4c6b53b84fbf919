"""The first guidance items of the library, written from the public documents of
the Estrategia Nacional para la Reinserción y la Continuidad Educativa and the
impact evaluation of Alerta Escuela.

Items are created only if their slug is free, so edits made later in the admin
are never overwritten; reversing deletes them by slug.
"""

from django.db import migrations

ORIENTACIONES = [
    # --- Docente tutor ---------------------------------------------------------
    {
        "slug": "contacto-con-la-familia",
        "titulo": "Contactar a la familia cuando el estudiante falta",
        "audiencia": "DOCENTE",
        "nivel": "TODOS",
        "factor": "inasistencias",
        "orden": 10,
        "resumen": (
            "Una llamada o una visita a tiempo ayuda a entender por qué un estudiante "
            "falta y a acordar con su familia cómo apoyarlo."
        ),
        "parrafos": [
            "Cuando un estudiante empieza a faltar, no espere a que las inasistencias "
            "se acumulen. Comuníquese con la familia en la misma semana: una llamada, "
            "un mensaje o, si no hay respuesta, una visita al hogar coordinada con la "
            "dirección.",
            "Empiece la conversación con interés genuino, no con un reclamo. Pregunte "
            "cómo está el estudiante y qué está pasando: una enfermedad, una mudanza, "
            "el cuidado de hermanos menores, un trabajo, un problema de transporte o "
            "una situación difícil en la escuela. La familia no es culpable de la "
            "situación; es la principal aliada para resolverla.",
            "Acuerden juntos uno o dos compromisos concretos y realistas: la fecha de "
            "regreso, cómo se pondrá al día con lo avanzado o cómo se comunicarán si "
            "vuelve a faltar. Deje su número de contacto o el de la institución "
            "educativa.",
            "Registre el contacto en el seguimiento del estudiante: la fecha, con "
            "quién habló y qué acordaron. Si no logra comunicarse después de varios "
            "intentos, informe a la dirección para buscar otros caminos, como un "
            "familiar, un vecino o las autoridades de la comunidad.",
        ],
    },
    {
        "slug": "asistencia-en-inicial",
        "titulo": "Asistencia regular en inicial: un trabajo con las familias",
        "audiencia": "DOCENTE",
        "nivel": "INICIAL",
        "factor": "inasistencias",
        "orden": 15,
        "resumen": (
            "En inicial, la asistencia depende de las familias: acompáñelas para que "
            "niñas y niños vayan todos los días a su jardín o a su PRONOEI."
        ),
        "parrafos": [
            "En educación inicial, que la niña o el niño asista depende por completo "
            "de su familia. Cuando hay inasistencias frecuentes, converse primero con "
            "la madre, el padre o la persona que lo cuida para conocer sus razones: la "
            "distancia, el clima, una enfermedad, el horario de trabajo o la idea de "
            "que el inicial «no es tan importante».",
            "Comparta con la familia, con palabras sencillas, lo que su hija o hijo "
            "aprende en el aula: a expresarse, a convivir con otros, a explorar y a "
            "prepararse para la primaria. Invítela a observar una actividad o a "
            "participar en una jornada con las familias.",
            "Busquen juntos soluciones posibles: organizarse con otras familias para "
            "llevar a los niños, acordar una hora de llegada cuando hay una dificultad "
            "o avisar cuando el niño esté enfermo para enviar actividades sencillas a "
            "casa.",
            "Reconozca los avances: un mensaje a la familia cuando la asistencia "
            "mejora motiva más que una llamada de atención.",
        ],
    },
    {
        "slug": "tutoria-individual",
        "titulo": "Tutoría individual con estudiantes en riesgo alto",
        "audiencia": "DOCENTE",
        "nivel": "TODOS",
        "factor": "",
        "orden": 20,
        "resumen": (
            "Un espacio breve y periódico de conversación con el estudiante para "
            "escucharlo, conocer su situación y acordar metas alcanzables."
        ),
        "parrafos": [
            "Para cada estudiante en riesgo alto (anaranjado) de su sección, programe "
            "un espacio de tutoría individual en las primeras semanas. Bastan unos "
            "minutos en un lugar tranquilo, dentro del horario escolar, donde el "
            "estudiante se sienta en confianza.",
            "El nivel de riesgo es una estimación, no un diagnóstico ni una etiqueta. "
            "No lo mencione frente a sus compañeros ni lo use para tratar al "
            "estudiante de forma distinta en el aula. Lo que sí debe cambiar es la "
            "atención que usted le presta.",
            "Escuche más de lo que habla. Pregunte cómo se siente en la escuela, qué "
            "le gusta, qué le cuesta, con quién cuenta y qué planes tiene. A partir de "
            "lo que comparta, acuerden una o dos metas pequeñas para las próximas "
            "semanas.",
            "Vuelva a reunirse periódicamente para revisar esas metas y registre cada "
            "conversación en el seguimiento. En inicial, este espacio se tiene con la "
            "familia. Si aparece una situación de violencia o un riesgo para su salud, "
            "siga la orientación sobre la derivación a la DEMUNA y a los servicios de "
            "salud.",
        ],
    },
    {
        "slug": "recuperar-aprendizajes",
        "titulo": "Recuperar aprendizajes sin dejar a nadie atrás",
        "audiencia": "DOCENTE",
        "nivel": "TODOS",
        "factor": "bajo_rendimiento",
        "orden": 30,
        "resumen": (
            "Identifique qué aprendizajes necesita consolidar el estudiante y "
            "ofrézcale un apoyo pedagógico concreto y oportuno."
        ),
        "parrafos": [
            "Cuando un estudiante siente que no puede seguir el ritmo de la clase, es "
            "más fácil que pierda las ganas de asistir. Recuperar aprendizajes es "
            "también una forma de prevenir la interrupción de estudios.",
            "Identifique con precisión qué necesita: revise sus evidencias de "
            "aprendizaje y converse con él sobre lo que le resulta difícil. Muchas "
            "veces se trata de unas pocas competencias básicas, como la comprensión "
            "lectora o la resolución de problemas, que bloquean lo demás.",
            "Planifique actividades de refuerzo cortas y frecuentes, en el aula o en "
            "horarios acordados: trabajo en grupos pequeños, materiales graduados por "
            "dificultad y ejemplos cercanos a su vida diaria. Retroalimente de manera "
            "descriptiva: lo que ya logró y cuál es el siguiente paso.",
            "Coordine con los demás docentes de la sección para que el apoyo sea "
            "coherente, y con la familia para que sepa cómo acompañar en casa aunque "
            "no domine los contenidos: preguntar, darle un espacio y un tiempo para "
            "estudiar y valorar su esfuerzo también ayuda.",
        ],
    },
    {
        "slug": "estudiantes-con-extraedad",
        "titulo": "Acompañar a estudiantes con extraedad",
        "audiencia": "DOCENTE",
        "nivel": "SECUNDARIA",
        "factor": "extraedad",
        "orden": 40,
        "resumen": (
            "Quien es mayor que sus compañeros de grado necesita sentirse parte del "
            "grupo y ver que terminar la secundaria es posible."
        ),
        "parrafos": [
            "Un estudiante tiene extraedad cuando es dos o más años mayor que la edad "
            "esperada para su grado. Suele ser consecuencia de haber repetido algún "
            "grado, de haber interrumpido los estudios o de haber empezado tarde la "
            "escuela. No dice nada sobre su capacidad, y no es responsabilidad del "
            "estudiante ni de su familia.",
            "En la adolescencia, ser mayor que los compañeros puede generar "
            "incomodidad, aislamiento o la sensación de que la escuela «ya no es para "
            "mí». Cuide que en el aula no haya comentarios ni bromas sobre su edad, y "
            "ofrézcale roles de responsabilidad que valoren su experiencia, como "
            "apoyar a un compañero o coordinar un equipo.",
            "Converse con el estudiante sobre sus proyectos: qué quiere hacer al "
            "terminar la secundaria y qué necesita para lograrlo. Ver el camino que "
            "le falta, grado por grado, hace que la meta sea concreta.",
            "Si además trabaja o tiene responsabilidades en casa, revise la "
            "orientación sobre estudiantes que trabajan. Si, pese al apoyo, el horario "
            "escolar no es compatible con su vida, infórmele a él y a su familia "
            "sobre la Educación Básica Alternativa, que permite culminar la educación "
            "básica con otros horarios: lo importante es que no deje de estudiar.",
        ],
    },
    {
        "slug": "estudiantes-que-trabajan",
        "titulo": "Estudiantes que trabajan: flexibilidad para que sigan estudiando",
        "audiencia": "DOCENTE",
        "nivel": "SECUNDARIA",
        "factor": "trabajo_infantil",
        "orden": 50,
        "resumen": (
            "Cuando un estudiante trabaja o cuida a otros, acuerde con él y con su "
            "familia formas flexibles de seguir aprendiendo, y vele por su protección."
        ),
        "parrafos": [
            "Hay adolescentes que trabajan para apoyar a su familia: en la chacra, en "
            "el comercio o cuidando a sus hermanos menores. Reprocharles el trabajo "
            "suele alejarlos de la escuela; entender su situación permite buscar "
            "soluciones con ellos.",
            "Converse con el estudiante y con su familia sobre su horario y sus "
            "responsabilidades. Con la dirección, acuerden medidas de flexibilidad "
            "posibles: otros plazos para entregar trabajos, evaluaciones "
            "reprogramadas, materiales para avanzar en casa o facilidades en las "
            "temporadas de cosecha o de más trabajo.",
            "Cuide que no se quede atrás en los aprendizajes clave y reconozca su "
            "esfuerzo por sostener ambas cosas. Informe a la familia sobre los "
            "programas sociales y las becas que pueden aliviar la necesidad económica "
            "(vea la orientación sobre becas y programas sociales).",
            "Si el trabajo pone en riesgo su salud, su seguridad o su integridad, o "
            "le impide asistir con regularidad, comuníquelo a la dirección para "
            "coordinar con la DEMUNA. La prioridad es protegerlo, no sancionarlo.",
        ],
    },
    {
        "slug": "becas-y-programas-sociales",
        "titulo": "Informar sobre becas y programas sociales",
        "audiencia": "DOCENTE",
        "nivel": "TODOS",
        "factor": "pobreza",
        "orden": 60,
        "resumen": (
            "Ayude a las familias a conocer los apoyos del Estado a los que pueden "
            "acceder, con información clara y sin exponer su situación."
        ),
        "parrafos": [
            "Las dificultades económicas pueden hacer que una familia vea la escuela "
            "como un gasto que no puede sostener. Una información clara y oportuna "
            "sobre los apoyos que existen puede ayudar a que el estudiante continúe.",
            "Tenga a mano información actualizada sobre los programas que llegan a su "
            "localidad: el programa Juntos, cuyas corresponsabilidades incluyen la "
            "asistencia escolar de los hijos(as); la alimentación escolar; y, para los "
            "últimos grados de secundaria, las becas del Pronabec, como Beca 18. Si la "
            "familia no tiene clasificación socioeconómica, oriéntela a acudir a la "
            "Unidad Local de Empadronamiento de su municipalidad.",
            "Comparta esta información en privado, nunca frente a otros estudiantes o "
            "familias, y sin suponer la situación económica de nadie por su "
            "apariencia. También puede difundirla a todas las familias en reuniones o "
            "comunicados, para que nadie se sienta señalado.",
            "Con la dirección y la APAFA, revisen qué puede hacer la institución "
            "educativa para que los costos no sean una barrera: listas de útiles "
            "mínimas, materiales compartidos y la seguridad de que a nadie se le "
            "impida participar en clase por no tener uniforme o útiles.",
        ],
    },
    {
        "slug": "derivar-a-demuna-y-salud",
        "titulo": "Derivar a la DEMUNA y a los servicios de salud",
        "audiencia": "DOCENTE",
        "nivel": "TODOS",
        "factor": "",
        "orden": 70,
        "resumen": (
            "Cuando la situación del estudiante supera lo que la escuela puede "
            "resolver, coordine con la dirección la derivación a los servicios que "
            "corresponden."
        ),
        "parrafos": [
            "Algunas situaciones necesitan el apoyo de otras instituciones: violencia "
            "en el hogar o en la comunidad, desprotección, trabajo peligroso, "
            "embarazo adolescente, consumo de sustancias o problemas de salud física "
            "o emocional. Usted no tiene que resolverlas solo, pero sí debe actuar.",
            "Informe de inmediato a la dirección. Según el caso, la institución "
            "educativa deriva a la Defensoría Municipal del Niño y del Adolescente "
            "(DEMUNA), al establecimiento de salud de la zona o a un centro de salud "
            "mental comunitario; ante situaciones de violencia, al Centro Emergencia "
            "Mujer (CEM) o a la Línea 100. Los casos de violencia escolar se atienden "
            "según los protocolos del Minedu y se reportan en el SíseVe.",
            "Proteja la confidencialidad: comparta la información solo con quienes "
            "deben intervenir, no la comente con otros docentes ni estudiantes, y no "
            "registre en el sistema más detalles de los necesarios.",
            "Después de la derivación, siga acompañando al estudiante en la escuela: "
            "mantenga el contacto con la familia, ofrézcale facilidades mientras se "
            "atiende su situación y registre las acciones en su seguimiento.",
        ],
    },
    {
        "slug": "volver-a-la-escuela",
        "titulo": "Acoger a quien vuelve a la escuela: el apoyo entre pares",
        "audiencia": "DOCENTE",
        "nivel": "TODOS",
        "factor": "interrupcion_previa",
        "orden": 80,
        "resumen": (
            "Quien interrumpió sus estudios y regresa necesita una buena bienvenida, "
            "un plan para ponerse al día y compañeros que lo acompañen."
        ),
        "parrafos": [
            "Volver a la escuela después de haber dejado de estudiar requiere valor. "
            "Reciba al estudiante con una bienvenida sin preguntas incómodas frente "
            "al grupo, y converse con él en privado sobre lo que necesita para "
            "quedarse.",
            "Elaboren juntos un plan para ponerse al día: qué aprendizajes priorizar, "
            "en qué plazos y con qué apoyos. Evite sobrecargarlo con todo lo "
            "pendiente a la vez.",
            "Proponga a uno o dos compañeros que lo acompañen en las primeras "
            "semanas: que le expliquen cómo se organiza el aula, estudien juntos y lo "
            "integren en los trabajos en equipo. Sentirse parte del grupo ayuda mucho "
            "a querer seguir asistiendo; el apoyo entre pares sirve también para "
            "quien llega trasladado de otra institución educativa.",
            "Mantenga un contacto frecuente con la familia durante los primeros "
            "meses, que son los más delicados, y registre en el seguimiento cómo va "
            "su reincorporación.",
        ],
    },
    # --- Director ---------------------------------------------------------------
    {
        "slug": "asignar-tutores-y-reuniones-de-seguimiento",
        "titulo": "Asignar tutores y organizar reuniones de seguimiento",
        "audiencia": "DIRECTOR",
        "nivel": "TODOS",
        "factor": "",
        "orden": 110,
        "resumen": (
            "Asegúrese de que cada sección tenga un tutor con acceso a su lista y de "
            "que el equipo revise con regularidad la situación de los estudiantes en "
            "riesgo."
        ),
        "parrafos": [
            "Al inicio del año, verifique que cada sección tenga un docente tutor "
            "asignado y que pueda ingresar con su propia cuenta a la lista de su "
            "aula. Una sección sin tutor asignado se queda sin nadie que siga de "
            "cerca a sus estudiantes.",
            "Revise con el equipo docente la lista de la institución educativa por "
            "nivel, grado y sección. Explique qué significan los niveles de riesgo: "
            "son una estimación para priorizar la atención, no una calificación del "
            "estudiante ni de su familia, y no deben difundirse fuera del equipo.",
            "Programe reuniones breves de seguimiento, por ejemplo una vez al mes, "
            "con los tutores de cada nivel o grado. Revisen qué acciones se "
            "realizaron con los estudiantes en riesgo alto y medio, qué funcionó, qué "
            "casos necesitan el apoyo de la dirección y qué derivaciones están "
            "pendientes.",
            "Reconozca el trabajo de los tutores y distribuya la carga: si una "
            "sección concentra muchos estudiantes en riesgo alto, busque el apoyo de "
            "otros docentes, de la coordinación de tutoría o del psicólogo, si la "
            "institución educativa cuenta con uno.",
        ],
    },
    {
        "slug": "registro-mensual-de-contacto",
        "titulo": "El registro mensual de contacto con los estudiantes",
        "audiencia": "DIRECTOR",
        "nivel": "TODOS",
        "factor": "",
        "orden": 120,
        "resumen": (
            "Organice que cada tutor registre cada mes si logró contactar a sus "
            "estudiantes y si estos pueden seguir las clases."
        ),
        "parrafos": [
            "El registro mensual de contacto permite saber, mes a mes, qué "
            "estudiantes fueron contactados y si pueden seguir las clases. Es la "
            "forma más sencilla de notar a tiempo que un estudiante se está alejando "
            "de la escuela.",
            "Acuerde con los tutores una fecha fija de cada mes para completar el "
            "registro en el sistema. Para cada estudiante basta responder dos "
            "preguntas: si se logró el contacto y si puede seguir las clases. "
            "Priorice a los estudiantes en riesgo alto y medio, sin dejar fuera a los "
            "demás.",
            "Revise el resumen del registro en la reunión de seguimiento. Quien lleva "
            "más de un mes sin contacto, o no puede seguir las clases, necesita una "
            "acción inmediata: una llamada, una visita o una reunión con la familia.",
            "El registro no es un trámite ni un instrumento de control sobre los "
            "docentes: es la información que permite a la institución educativa y a "
            "la UGEL saber dónde hace falta apoyo.",
        ],
    },
    {
        "slug": "alianzas-con-apafa-y-autoridades",
        "titulo": "Trabajar con la APAFA, la comunidad y las autoridades locales",
        "audiencia": "DIRECTOR",
        "nivel": "TODOS",
        "factor": "ruralidad",
        "orden": 130,
        "resumen": (
            "Sume a las familias organizadas, a la municipalidad y a las autoridades "
            "comunales para reducir las barreras que alejan a los estudiantes de la "
            "escuela, en especial en las zonas rurales."
        ),
        "parrafos": [
            "Muchas de las razones por las que un estudiante deja de asistir están "
            "fuera de la escuela: la distancia, el transporte, el trabajo en "
            "temporada de cosecha o la falta de servicios. La institución educativa "
            "no puede resolverlas sola, pero puede convocar a quienes sí pueden "
            "ayudar.",
            "Presente a la APAFA y al CONEI la situación general de la institución "
            "educativa, sin dar nombres de estudiantes, y pídales que propongan "
            "acciones: acompañamiento entre familias, organización del traslado de "
            "los estudiantes que viven lejos, jornadas sobre la importancia de "
            "terminar la educación básica.",
            "Coordine con la municipalidad, la DEMUNA, el establecimiento de salud, "
            "los programas sociales y las autoridades comunales. En las zonas "
            "rurales, su apoyo puede ser decisivo para el transporte, el hospedaje "
            "de estudiantes que viven lejos o la búsqueda de quienes dejaron de "
            "asistir.",
            "Informe a la UGEL cuando la oferta educativa cercana no permita "
            "continuar los estudios, por ejemplo, si no hay secundaria en la "
            "comunidad. Existen modelos de servicio para zonas rurales, como la "
            "secundaria en alternancia, con residencia estudiantil o tutorial, que la "
            "UGEL puede ayudar a conocer.",
        ],
    },
    # --- Especialista UGEL/DRE ----------------------------------------------------
    {
        "slug": "priorizar-escuelas-para-capacitaciones",
        "titulo": "Priorizar escuelas para capacitaciones en grupos pequeños",
        "audiencia": "ESPECIALISTA",
        "nivel": "TODOS",
        "factor": "",
        "orden": 210,
        "resumen": (
            "Use el ranking de instituciones educativas por estudiantes en riesgo "
            "medio y alto para decidir dónde capacitar primero, en grupos de unos "
            "cinco docentes."
        ),
        "parrafos": [
            "La evaluación de impacto de Alerta Escuela recomienda capacitar a los "
            "docentes en grupos pequeños, de aproximadamente cinco personas: en ese "
            "formato, los docentes no solo conocieron la herramienta, sino que "
            "reportaron usar más sus listas y sus orientaciones. También recomienda "
            "dirigir ese esfuerzo a las escuelas que más lo necesitan.",
            "Con el ranking de su UGEL, identifique las instituciones educativas con "
            "más estudiantes en riesgo medio y alto, en número y en porcentaje. Mire "
            "ambos: una escuela grande puede tener muchos estudiantes en riesgo con "
            "un porcentaje bajo, y una escuela pequeña, un porcentaje alto con pocos "
            "estudiantes.",
            "Organice sesiones prácticas con los tutores de esas escuelas: ingresar "
            "con su cuenta, leer su lista, entender los factores de cada estudiante, "
            "revisar las orientaciones y registrar las acciones y el contacto "
            "mensual. Trabajen con la lista de su propia aula, no solo con ejemplos.",
            "Después de la capacitación, revise en el monitoreo de uso si los "
            "docentes capacitados ingresan y registran acciones, y programe un "
            "seguimiento con quienes aún no lo hacen.",
        ],
    },
    {
        "slug": "monitorear-uso-y-acompanar-directores",
        "titulo": "Monitorear el uso de la herramienta y acompañar a los directores",
        "audiencia": "ESPECIALISTA",
        "nivel": "TODOS",
        "factor": "",
        "orden": 220,
        "resumen": (
            "Revise con regularidad quién usa Alerta Escuela en cada institución "
            "educativa y acompañe a los directores para que el seguimiento de los "
            "estudiantes en riesgo se sostenga."
        ),
        "parrafos": [
            "La herramienta solo ayuda si se usa. En el monitoreo de uso puede ver, "
            "por institución educativa, si los directores y tutores ingresan, abren "
            "sus listas, descargan los reportes, leen las orientaciones y registran "
            "acciones con sus estudiantes.",
            "Revise esta información cada mes e identifique las instituciones "
            "educativas con estudiantes en riesgo alto o medio sin ninguna acción "
            "registrada. Antes de concluir que no se hace nada, converse con el "
            "director: puede haber problemas de acceso, secciones sin tutor asignado "
            "o acciones realizadas que no se registraron.",
            "Acompañe a los directores en la organización del seguimiento: la "
            "asignación de tutores, las reuniones periódicas y el registro mensual de "
            "contacto. Comparta las experiencias que funcionan en otras escuelas de "
            "la UGEL y ayude a articular con la DEMUNA, los servicios de salud y los "
            "programas sociales cuando un caso lo requiera.",
            "Cada vez que abre la lista nominal de una escuela, el acceso queda "
            "registrado. Ábrala solo cuando sea necesario para acompañar un caso y "
            "use los reportes agregados para todo lo demás.",
        ],
    },
]


def crear_orientaciones(apps, schema_editor):
    Orientacion = apps.get_model("orientaciones", "Orientacion")
    for item in ORIENTACIONES:
        campos = {k: v for k, v in item.items() if k not in ("slug", "parrafos")}
        campos["texto"] = "\n\n".join(item["parrafos"])
        Orientacion.objects.get_or_create(
            slug=item["slug"], defaults={**campos, "publicada": True}
        )


def borrar_orientaciones(apps, schema_editor):
    Orientacion = apps.get_model("orientaciones", "Orientacion")
    Orientacion.objects.filter(slug__in=[i["slug"] for i in ORIENTACIONES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orientaciones", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(crear_orientaciones, borrar_orientaciones),
    ]
