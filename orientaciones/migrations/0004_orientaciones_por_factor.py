"""Guidance behind every factor the risk model can name.

For each factor there is at least one item for tutors and one for directors
that covers every nivel, and for the factors whose answer lies outside the
classroom (`orientaciones.models.FACTORES_DE_GESTION`) one for UGEL and DRE
specialists. The items for tutors follow the steps of Minedu's guidance on
school continuity: know the student's situation, plan, agree with the family,
tutoring (individual and in group), and keep accompanying month by month.

Some items of 0002 are rewritten here: they asked to record contacts and
actions in a follow-up the portal does not have yet, or to check a use
monitoring it does not have either. A rewritten item is changed only if it
still holds what 0002 wrote (an item edited in the admin is left alone), and
new items are created only if their slug is free. Reversing puts back the
text of 0002 where this migration changed it and deletes the new items.
"""

import importlib

from django.db import migrations

INICIALES = importlib.import_module(
    "orientaciones.migrations.0002_orientaciones_iniciales"
).ORIENTACIONES

ORIENTACIONES = [
    # --- Docente tutor: items of 0002, rewritten -------------------------------
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
            "Conozca su situación: no espere a que las faltas se acumulen. En la misma "
            "semana, averigüe con discreción qué pasa: una enfermedad, una mudanza, el "
            "cuidado de hermanos, un trabajo, el transporte o un problema en la "
            "escuela.",
            "Planifique: decida quién llama y cuándo. Si no hay respuesta, coordine "
            "con la dirección una visita al hogar u otro camino: un familiar, un "
            "vecino o las autoridades de la comunidad.",
            "Con la familia: empiece con interés, no con un reclamo; la familia es su "
            "aliada. Acuerden uno o dos compromisos concretos, como la fecha de "
            "regreso y cómo avisarán si vuelve a faltar. Deje su número o el de la "
            "institución educativa.",
            "En tutoría: cuando regrese, recíbalo sin reproches y ayúdelo a ponerse "
            "al día. En la tutoría grupal, converse con todo el salón sobre por qué "
            "es importante venir y cómo apoyarse cuando alguien falta. En inicial, "
            "todo esto se conversa con la familia.",
            "Acompañe mes a mes: anote en su cuaderno de tutoría la fecha, con quién "
            "habló y qué acordaron, y revise si la asistencia mejora. Si después de "
            "varios intentos no logra comunicarse, informe a la dirección.",
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
            "Vuelva a reunirse periódicamente para revisar esas metas y anote lo "
            "acordado en su cuaderno de tutoría. En inicial, este espacio se tiene con "
            "la familia. Si aparece una situación de violencia o un riesgo para su "
            "salud, siga la orientación sobre la derivación a la DEMUNA y a los "
            "servicios de salud.",
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
            "anote más detalles de los necesarios.",
            "Después de la derivación, siga acompañando al estudiante en la escuela: "
            "mantenga el contacto con la familia, ofrézcale facilidades mientras se "
            "atiende su situación y pregunte a la dirección cómo avanza el caso.",
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
            "Conozca su situación: volver a la escuela después de haber dejado de "
            "estudiar requiere valor. Converse en privado con el estudiante, sin "
            "preguntas incómodas frente al grupo, sobre por qué dejó de estudiar y "
            "qué necesita para quedarse.",
            "Planifique: elaboren juntos un plan para ponerse al día, con pocos "
            "aprendizajes prioritarios, plazos realistas y apoyos concretos. Evite "
            "sobrecargarlo con todo lo pendiente a la vez.",
            "Con la familia: reúnase con ella en las primeras semanas. Acuerden cómo "
            "apoyarán en casa y cómo se comunicarán si algo vuelve a ponerse difícil.",
            "En tutoría: proponga a uno o dos compañeros que lo acompañen al inicio, "
            "que le expliquen cómo se organiza el aula y lo integren en los trabajos "
            "en equipo. En inicial, el acompañamiento es a la familia, para que la "
            "niña o el niño asista todos los días.",
            "Acompañe mes a mes: los primeros meses son los más delicados. Converse "
            "con él con frecuencia, anote en su cuaderno de tutoría cómo va y avise a "
            "la dirección si vuelve a faltar.",
        ],
    },
    # --- Docente tutor: new items -----------------------------------------------
    {
        "slug": "aprendizajes-en-inicial",
        "titulo": "Cuando una niña o un niño de inicial necesita más apoyo para aprender",
        "audiencia": "DOCENTE",
        "nivel": "INICIAL",
        "factor": "bajo_rendimiento",
        "orden": 31,
        "resumen": (
            "En inicial, cada niño aprende a su ritmo. Observe qué le cuesta, ajuste "
            "las actividades y acompañe a la familia para que apoye en casa jugando."
        ),
        "parrafos": [
            "Conozca su situación: observe a la niña o al niño en el juego y en las "
            "actividades. Anote qué logra, qué le cuesta y en qué momentos se "
            "desanima o se aísla. Que esté «en inicio» no dice nada de su capacidad: "
            "necesita más tiempo o más apoyo.",
            "Planifique: proponga actividades cortas, con materiales concretos y "
            "consignas sencillas. Dele oportunidades de lograr algo y de que se note.",
            "Con la familia: cuéntele lo que su hija o hijo ya logra antes de hablar "
            "de lo que le cuesta. Sugiera juegos sencillos para casa: contar cosas, "
            "conversar, mirar juntos un cuento.",
            "En el aula: el trabajo en grupos pequeños y el juego con otros niños "
            "ayudan mucho. Si nota una dificultad para oír, ver o hablar, sugiera a "
            "la familia acudir al establecimiento de salud.",
            "Acompañe mes a mes: compare sus observaciones con las del mes anterior y "
            "comparta los avances con la familia.",
        ],
    },
    {
        "slug": "acompanar-a-quien-repite",
        "titulo": "Acompañar a quien repite el grado",
        "audiencia": "DOCENTE",
        "nivel": "TODOS",
        "factor": "repitencia",
        "orden": 35,
        "resumen": (
            "Repetir un grado desanima. Ayude al estudiante a entender qué le faltó, "
            "a ver sus avances y a sentirse parte de su nuevo grupo."
        ),
        "parrafos": [
            "Conozca su situación: revise con él qué aprendizajes le faltaron el año "
            "anterior y qué pasó ese año (faltas, problemas en casa, un cambio de "
            "escuela). No repita lo mismo que no funcionó.",
            "Planifique: priorice dos o tres aprendizajes clave y prepare actividades "
            "de refuerzo cortas y frecuentes. Reconozca lo que ya sabe, para que no "
            "sienta que empieza de cero.",
            "Con la familia: explique que repetir no es un castigo ni un fracaso de "
            "nadie. Acuerden cómo apoyar en casa: un horario para estudiar, preguntar "
            "qué aprendió y valorar su esfuerzo.",
            "En tutoría: en la tutoría individual, converse sobre cómo se siente y "
            "acuerden metas pequeñas. En el aula, cuide que nadie se burle y ayúdelo "
            "a integrarse con sus nuevos compañeros.",
            "Acompañe mes a mes: revise sus avances cada mes y celébrelos. Si vuelve "
            "a quedarse atrás, busque con la dirección un apoyo adicional a tiempo, "
            "no al final del año.",
        ],
    },
    {
        "slug": "extraedad-en-primaria",
        "titulo": "Extraedad en primaria: aprender con su grupo sin quedarse atrás",
        "audiencia": "DOCENTE",
        "nivel": "PRIMARIA",
        "factor": "extraedad",
        "orden": 41,
        "resumen": (
            "Una niña o un niño mayor que sus compañeros necesita sentirse parte del "
            "grupo y recibir apoyo para avanzar a su ritmo."
        ),
        "parrafos": [
            "Conozca su situación: tiene extraedad quien es dos o más años mayor que "
            "lo esperado para su grado, por haber repetido, interrumpido o empezado "
            "tarde. Averigüe cuál fue la causa; no es culpa del estudiante ni de su "
            "familia.",
            "Planifique: identifique qué aprendizajes necesita consolidar y prepare "
            "actividades con retos a su medida. Ofrézcale tareas de responsabilidad "
            "en el aula, para que su edad sea una fortaleza.",
            "Con la familia: converse sobre la importancia de que siga estudiando y "
            "acuerden cómo apoyar en casa. Si también trabaja o cuida a sus "
            "hermanos, busquen juntos cómo organizar su tiempo.",
            "En tutoría: en la tutoría individual, pregúntele cómo se siente con sus "
            "compañeros. En la tutoría grupal, trabaje el respeto: nadie se burla de "
            "la edad ni del tamaño de otro.",
            "Acompañe mes a mes: revise sus avances y su asistencia. Un estudiante "
            "con extraedad que empieza a faltar necesita una llamada a la familia esa "
            "misma semana.",
        ],
    },
    {
        "slug": "extraedad-en-inicial",
        "titulo": "Niñas y niños con más edad que su grupo en inicial",
        "audiencia": "DOCENTE",
        "nivel": "INICIAL",
        "factor": "extraedad",
        "orden": 42,
        "resumen": (
            "Si una niña o un niño tiene más edad que la de su aula, revise con la "
            "dirección y la familia en qué grado le corresponde estar."
        ),
        "parrafos": [
            "Conozca su situación: verifique su fecha de nacimiento y desde cuándo "
            "asiste. A veces la niña o el niño empezó tarde, estuvo un tiempo sin "
            "asistir o tiene una dificultad que la familia no ha comentado.",
            "Planifique: consulte con la dirección si por su edad le corresponde "
            "pasar a primaria, para que no pierda un año.",
            "Con la familia: explique con calma por qué la edad importa y qué pasos "
            "siguen para la matrícula del próximo año. Escuche sus dudas.",
            "En el aula: ofrézcale actividades con retos a su medida y dele "
            "oportunidades de ayudar a los más pequeños. Si nota alguna dificultad "
            "para aprender, comunicar o moverse, oriente a la familia hacia el "
            "establecimiento de salud.",
            "Acompañe mes a mes: converse con la familia cada mes sobre sus avances "
            "hasta que esté en el grado que le corresponde.",
        ],
    },
    {
        "slug": "cuando-un-estudiante-se-retira",
        "titulo": "Cuando un estudiante deja de venir o se retira",
        "audiencia": "DOCENTE",
        "nivel": "TODOS",
        "factor": "retiro",
        "orden": 45,
        "resumen": (
            "Un retiro casi siempre se anuncia antes con faltas. Actúe a tiempo y, si "
            "ya se retiró, busque con la dirección cómo ayudarlo a volver."
        ),
        "parrafos": [
            "Conozca su situación: averigüe por qué se retiró o dejó de venir. Si ya "
            "se había retirado el año anterior, es una señal de alerta: el riesgo de "
            "que vuelva a pasar es mayor.",
            "Planifique: con la dirección, decidan quién contacta a la familia, en "
            "qué plazo y qué se le puede ofrecer: un plan para ponerse al día, "
            "flexibilidad en horarios o entregas, o información sobre apoyos.",
            "Con la familia: escuche sus razones sin juzgar. Muéstrele que la escuela "
            "quiere que su hija o hijo vuelva y acuerden un primer paso concreto, "
            "como una visita a la escuela o una fecha de regreso.",
            "En tutoría: si regresa, recíbalo bien y pida a uno o dos compañeros que "
            "lo acompañen las primeras semanas. En la tutoría grupal, trabaje la "
            "acogida: cuando alguien vuelve, el grupo lo apoya.",
            "Acompañe mes a mes: converse con él y con su familia con frecuencia "
            "durante el primer trimestre. Avise a la dirección ante la primera falta "
            "sin aviso.",
        ],
    },
    {
        "slug": "llegar-de-otra-escuela",
        "titulo": "Dar la bienvenida a quien llega de otra escuela",
        "audiencia": "DOCENTE",
        "nivel": "TODOS",
        "factor": "traslados",
        "orden": 46,
        "resumen": (
            "Cambiar de escuela una o varias veces rompe amistades y rutinas. Una "
            "buena acogida y un plan para ponerse al día lo ayudan a quedarse."
        ),
        "parrafos": [
            "Conozca su situación: pregunte por qué cambió de escuela (una mudanza, "
            "el trabajo de la familia, un problema en la escuela anterior) y qué "
            "aprendizajes trae. Pida a la dirección sus documentos de la escuela "
            "anterior.",
            "Planifique: identifique qué necesita para seguir el ritmo del aula y "
            "prepare un apoyo corto para esas semanas.",
            "Con la familia: reúnase con ella al inicio. Pregunte si piensan "
            "mudarse otra vez; si es así, explique cómo pedir el traslado a tiempo "
            "para que no pierda clases.",
            "En tutoría: preséntelo al grupo, asígnele uno o dos compañeros que lo "
            "acompañen y cuide que se integre en los trabajos en equipo. En la "
            "tutoría individual, pregúntele cómo se siente en su nueva escuela.",
            "Acompañe mes a mes: los primeros meses son los más difíciles. Revise su "
            "asistencia y sus avances, y converse con la familia si algo cambia.",
        ],
    },
    {
        "slug": "trabajo-infantil-en-primaria",
        "titulo": "Niñas y niños que trabajan o tienen mucha carga en casa",
        "audiencia": "DOCENTE",
        "nivel": "PRIMARIA",
        "factor": "trabajo_infantil",
        "orden": 51,
        "resumen": (
            "Un niño que trabaja llega cansado y falta más. Converse con la familia "
            "para proteger su tiempo de estudio y su descanso."
        ),
        "parrafos": [
            "Conozca su situación: pregunte con tacto qué hace fuera de la escuela y "
            "cuántas horas: ayudar en la chacra, en el negocio familiar, cuidar a "
            "hermanos o trabajar para otros. Note si llega cansado, con hambre o "
            "falta en ciertas temporadas.",
            "Planifique: acuerde con la dirección facilidades posibles: tareas que "
            "pueda hacer en clase, plazos más amplios y apoyo para ponerse al día "
            "después de las temporadas de más trabajo.",
            "Con la familia: sin reproches, explique que a su edad lo más importante "
            "es estudiar, jugar y descansar. Acuerden cuánto tiempo dedicará a "
            "estudiar y a descansar. Informe sobre los programas sociales que pueden "
            "aliviar la necesidad del hogar.",
            "En tutoría: valore su esfuerzo y pregúntele cómo se siente. En la "
            "tutoría grupal, hablen de los derechos de niñas y niños, sin señalar a "
            "nadie.",
            "Acompañe mes a mes: revise su asistencia y sus avances. Si el trabajo es "
            "peligroso, lo aleja de la escuela o afecta su salud, informe a la "
            "dirección para coordinar con la DEMUNA: se trata de protegerlo, no de "
            "sancionar a la familia.",
        ],
    },
    {
        "slug": "trabajo-infantil-en-inicial",
        "titulo": "Niñas y niños que acompañan a su familia al trabajo",
        "audiencia": "DOCENTE",
        "nivel": "INICIAL",
        "factor": "trabajo_infantil",
        "orden": 52,
        "resumen": (
            "Cuando la familia lleva a la niña o al niño a su trabajo, deja de "
            "asistir. Busque con ella cómo asegurar que vaya a su aula."
        ),
        "parrafos": [
            "Conozca su situación: pregunte a la familia con quién se queda la niña o "
            "el niño mientras ellos trabajan y si los acompaña al mercado, a la "
            "chacra o a otro lugar de trabajo.",
            "Planifique: revise con la dirección si el horario del aula puede "
            "acomodarse mejor al de las familias que trabajan.",
            "Con la familia: explique lo que su hija o hijo aprende en el aula y por "
            "qué es importante que asista todos los días. Busquen juntos soluciones: "
            "organizarse con otras familias para llevar y recoger a los niños.",
            "En el aula: recíbalo con cariño cuando vuelva y ayúdelo a retomar las "
            "rutinas. Si llega cansado o con hambre, coménteselo a la familia con "
            "respeto.",
            "Acompañe mes a mes: revise su asistencia y reconozca a la familia cuando "
            "mejora. Si el niño queda expuesto a peligros en el lugar de trabajo, "
            "informe a la dirección para coordinar con la DEMUNA.",
        ],
    },
    {
        "slug": "familias-diversas",
        "titulo": "Trabajar con cada familia tal como es",
        "audiencia": "DOCENTE",
        "nivel": "TODOS",
        "factor": "entorno_familiar",
        "orden": 65,
        "resumen": (
            "Cuando quien cuida al estudiante estudió pocos años o no es su madre ni "
            "su padre, adapte la forma de comunicarse y reconozca su papel."
        ),
        "parrafos": [
            "Conozca su situación: averigüe con quién vive el estudiante y quién lo "
            "apoya en casa: abuelos, tíos, hermanos mayores u otra persona. No "
            "suponga; pregunte con respeto.",
            "Planifique: prefiera las conversaciones a los papeles. Use palabras "
            "sencillas, mensajes de voz o visitas, y horarios en los que la persona "
            "pueda venir.",
            "Con la familia: reconozca que cualquier persona puede acompañar los "
            "estudios aunque no domine los contenidos: preguntar qué aprendió, darle "
            "un tiempo y un lugar para estudiar y valorar su esfuerzo. Invítela a la "
            "escuela de familias.",
            "En tutoría: en la tutoría individual, pregunte al estudiante cómo se "
            "siente en casa y con quién cuenta. En la tutoría grupal, hablen de los "
            "distintos tipos de familia, sin señalar a nadie.",
            "Acompañe mes a mes: mantenga un contacto regular con la persona que lo "
            "cuida. Si nota desprotección o violencia, siga la orientación sobre la "
            "derivación a la DEMUNA y a los servicios de salud.",
        ],
    },
    {
        "slug": "lengua-originaria-en-el-aula",
        "titulo": "Estudiantes cuya lengua materna es una lengua originaria",
        "audiencia": "DOCENTE",
        "nivel": "TODOS",
        "factor": "lengua_originaria",
        "orden": 66,
        "resumen": (
            "Aprender en una lengua que no es la propia es más difícil. Valore su "
            "lengua y su cultura, y use ambas lenguas para que aprenda."
        ),
        "parrafos": [
            "Conozca su situación: averigüe qué lengua habla en casa, cuánto "
            "castellano entiende y habla, y si su institución educativa es de "
            "educación intercultural bilingüe.",
            "Planifique: use imágenes, objetos y ejemplos de su vida diaria. Si usted "
            "o un colega habla su lengua, úsela para explicar lo difícil. Pregunte a "
            "la dirección por los materiales en lengua originaria del Minedu.",
            "Con la familia: converse en su lengua cuando sea posible, con apoyo de "
            "un colega o de alguien de la comunidad. Diga a la familia que su lengua "
            "es una riqueza y que hablarla en casa ayuda a aprender.",
            "En tutoría: cuide que nadie se burle de su forma de hablar. En la "
            "tutoría grupal, valoren las lenguas y culturas del aula. En la tutoría "
            "individual, pregúntele qué le cuesta entender.",
            "Acompañe mes a mes: revise sus avances en comprensión y en confianza "
            "para participar. Un estudiante que deja de hablar en clase puede estar "
            "alejándose.",
        ],
    },
    {
        "slug": "estudiantes-con-discapacidad",
        "titulo": "Estudiantes con discapacidad: ajustes para aprender y participar",
        "audiencia": "DOCENTE",
        "nivel": "TODOS",
        "factor": "discapacidad",
        "orden": 67,
        "resumen": (
            "Con ajustes sencillos en el aula y el apoyo del SAANEE, un estudiante "
            "con discapacidad puede aprender y participar con su grupo."
        ),
        "parrafos": [
            "Conozca su situación: converse con el estudiante y su familia sobre qué "
            "le ayuda y qué le pone barreras: el acceso al aula, la forma de "
            "presentar la información, el tiempo o el trato de otros.",
            "Planifique: haga ajustes razonables: ubicación en el aula, materiales "
            "con letra grande, imágenes o audio, más tiempo y otras formas de "
            "mostrar lo aprendido. Pida a la dirección el apoyo del SAANEE o del CEBE "
            "más cercano.",
            "Con la familia: reconozca lo que la familia ya sabe de su hija o hijo y "
            "acuerden juntos los apoyos. Infórmeles sobre los servicios de apoyo "
            "educativo para familias de estudiantes con discapacidad.",
            "En tutoría: en la tutoría grupal, trabaje el respeto y la ayuda mutua; "
            "nadie es excluido de un juego o un equipo. En la tutoría individual, "
            "pregúntele cómo se siente en la escuela.",
            "Acompañe mes a mes: revise con la familia si los ajustes funcionan y "
            "cámbielos si no. Si empieza a faltar, averigüe pronto si hay una "
            "barrera nueva (salud, transporte, trato).",
        ],
    },
    {
        "slug": "estudiantes-de-otros-paises",
        "titulo": "Acoger a estudiantes que vienen de otros países",
        "audiencia": "DOCENTE",
        "nivel": "TODOS",
        "factor": "documento_extranjero",
        "orden": 68,
        "resumen": (
            "Llegar de otro país significa un cambio grande. Una buena acogida, "
            "respeto a su historia y apoyo con los trámites ayudan a que se quede."
        ),
        "parrafos": [
            "Conozca su situación: converse con el estudiante y su familia sobre "
            "cuándo llegaron, dónde estudió antes y si piensan quedarse. Algunas "
            "familias están en situación difícil: pregunte sin presionar.",
            "Planifique: identifique qué aprendizajes trae y cuáles necesita reforzar "
            "por las diferencias entre países. Si faltan documentos o la "
            "convalidación de estudios, avise a la dirección: no es motivo para "
            "dejarlo fuera de clase.",
            "Con la familia: explique cómo funciona la escuela, el horario, las "
            "evaluaciones y a quién acudir. Infórmeles sobre los apoyos a los que "
            "pueden acceder.",
            "En tutoría: cuide que no haya burlas ni discriminación por su "
            "nacionalidad o su forma de hablar. En la tutoría grupal, conozcan y "
            "valoren su país de origen. Asígnele uno o dos compañeros que lo "
            "acompañen al inicio.",
            "Acompañe mes a mes: revise su asistencia y cómo se integra. Una "
            "familia que se muda con frecuencia necesita saber cómo pedir el "
            "traslado para que el estudiante no pierda el año.",
        ],
    },
    {
        "slug": "escuela-rural-tutor",
        "titulo": "Estudiantes de escuelas rurales: distancia, clima y temporadas",
        "audiencia": "DOCENTE",
        "nivel": "TODOS",
        "factor": "ruralidad",
        "orden": 69,
        "resumen": (
            "En zonas rurales, la distancia, el clima y las temporadas de trabajo "
            "alejan a los estudiantes. Conózcalas y planifique con las familias."
        ),
        "parrafos": [
            "Conozca su situación: pregunte cuánto camina el estudiante, por dónde y "
            "con quién; si cruza ríos o quebradas; y en qué meses hay más trabajo en "
            "la chacra o con los animales.",
            "Planifique: anticipe las temporadas difíciles con actividades para "
            "avanzar en casa y un plan para ponerse al día al volver. Coordine con la "
            "dirección si hace falta organizar el traslado o el hospedaje.",
            "Con la familia: converse en reuniones o visitas, en el horario y la "
            "lengua de la comunidad. Acuerden cómo avisarán cuando el estudiante no "
            "pueda llegar.",
            "En tutoría: en la tutoría grupal, hablen de los proyectos de vida y de "
            "la importancia de terminar la educación básica. En la tutoría "
            "individual, conozca sus planes: muchos dejan la escuela al terminar la "
            "primaria si no hay secundaria cerca.",
            "Acompañe mes a mes: revise la asistencia según la temporada y avise a "
            "la dirección cuando un estudiante deja de llegar.",
        ],
    },
    {
        "slug": "escuela-con-mucha-desercion-tutor",
        "titulo": "Cuando en su escuela o su distrito muchos dejaron de estudiar",
        "audiencia": "DOCENTE",
        "nivel": "TODOS",
        "factor": "contexto_escuela",
        "orden": 90,
        "resumen": (
            "Si muchos estudiantes de su escuela o su distrito dejaron de estudiar el "
            "año pasado, el riesgo alcanza a todo el grupo: cuide a todos."
        ),
        "parrafos": [
            "Conozca su situación: este factor no habla del estudiante, sino de su "
            "entorno. Converse con colegas y familias sobre por qué otros dejaron de "
            "estudiar: trabajo, migración, distancia, falta de secundaria cercana.",
            "Planifique: con la dirección, acuerden acciones para toda la sección: "
            "bienvenida al inicio del año, contacto rápido ante las faltas y "
            "atención especial a los grados de paso (de inicial a primaria, de "
            "primaria a secundaria).",
            "Con la familia: en las reuniones de aula, hablen de la importancia de "
            "terminar la educación básica y de los apoyos que existen, sin señalar a "
            "nadie.",
            "En tutoría: en la tutoría grupal, trabaje el proyecto de vida y las "
            "razones para seguir estudiando. En la tutoría individual, escuche a "
            "quienes tienen hermanos o amigos que dejaron la escuela.",
            "Acompañe mes a mes: revise la asistencia de toda la sección cada mes y "
            "actúe en la misma semana cuando alguien empieza a faltar.",
        ],
    },
    # --- Director: items of 0002, rewritten -------------------------------------
    {
        "slug": "registro-mensual-de-contacto",
        "titulo": "El contacto mensual con los estudiantes",
        "audiencia": "DIRECTOR",
        "nivel": "TODOS",
        "factor": "",
        "orden": 120,
        "resumen": (
            "Organice que cada tutor anote cada mes si logró contactar a sus "
            "estudiantes y si estos pueden seguir las clases."
        ),
        "parrafos": [
            "Saber mes a mes qué estudiantes fueron contactados y si pueden seguir "
            "las clases es la forma más sencilla de notar a tiempo que un estudiante "
            "se está alejando de la escuela.",
            "Acuerde con los tutores una fecha fija de cada mes y una forma sencilla "
            "de anotarlo: una columna en la hoja de cálculo de su aula o una página "
            "de su cuaderno de tutoría. Para cada estudiante basta responder dos "
            "preguntas: si se logró el contacto y si puede seguir las clases. "
            "Priorice a los estudiantes en riesgo alto y medio, sin dejar fuera a los "
            "demás.",
            "Revise esas anotaciones en la reunión mensual con los tutores. Quien "
            "lleva más de un mes sin contacto, o no puede seguir las clases, necesita "
            "una acción inmediata: una llamada, una visita o una reunión con la "
            "familia.",
            "Estas anotaciones no son un trámite ni un instrumento de control sobre "
            "los docentes: son la información que permite a la institución educativa "
            "saber dónde hace falta apoyo. Guárdelas con cuidado, porque tienen datos "
            "de menores de edad.",
        ],
    },
    # --- Director: new items ----------------------------------------------------
    {
        "slug": "director-inasistencias",
        "titulo": "Una respuesta de toda la escuela a las inasistencias",
        "audiencia": "DIRECTOR",
        "nivel": "TODOS",
        "factor": "inasistencias",
        "orden": 140,
        "resumen": (
            "Acuerde con su equipo qué se hace cuando un estudiante falta, quién lo "
            "hace y en qué plazo, para que ninguna falta pase desapercibida."
        ),
        "parrafos": [
            "Revise la lista de la institución educativa por sección: ¿en qué grados "
            "se concentran los estudiantes que faltan? ¿Hay meses o temporadas con "
            "más faltas?",
            "Acuerde una ruta sencilla y conocida por todos: el tutor llama a la "
            "familia en la misma semana; si no hay respuesta, la dirección coordina "
            "una visita; si hay una situación de riesgo, se deriva.",
            "Incluya la asistencia en las reuniones con familias y con la APAFA: por "
            "qué importa y cómo avisar a la escuela cuando un estudiante no puede ir.",
            "En la reunión mensual con los tutores, revisen los casos de faltas "
            "frecuentes, qué se hizo y qué funcionó.",
        ],
    },
    {
        "slug": "director-recuperar-aprendizajes",
        "titulo": "Organizar el refuerzo de aprendizajes en la escuela",
        "audiencia": "DIRECTOR",
        "nivel": "TODOS",
        "factor": "bajo_rendimiento",
        "orden": 141,
        "resumen": (
            "Dé a los docentes tiempo y espacios para reforzar aprendizajes, y "
            "coordine que el apoyo sea coherente entre áreas y grados."
        ),
        "parrafos": [
            "Con los resultados de evaluación, identifique los grados y las áreas "
            "donde más estudiantes necesitan apoyo.",
            "Organice horarios y espacios de refuerzo en grupos pequeños, y promueva "
            "que los docentes compartan estrategias y materiales que funcionan.",
            "Pida a los tutores que informen a las familias, de forma sencilla, en "
            "qué necesita apoyo su hija o hijo y cómo acompañar en casa.",
            "Revise con los docentes, cada bimestre o trimestre, los avances de los "
            "estudiantes que reciben refuerzo y ajusten lo que no funciona.",
        ],
    },
    {
        "slug": "director-repitencia",
        "titulo": "Prevenir la repitencia y acompañar a quienes repiten",
        "audiencia": "DIRECTOR",
        "nivel": "TODOS",
        "factor": "repitencia",
        "orden": 142,
        "resumen": (
            "Quien repite tiene más riesgo de dejar la escuela. Detecte a tiempo a "
            "quienes pueden repetir y asegure el acompañamiento de quienes ya "
            "repitieron."
        ),
        "parrafos": [
            "A mitad de año, pida a los docentes la relación de estudiantes que "
            "podrían no ser promovidos, para actuar antes del cierre y no después.",
            "Organice la recuperación pedagógica con tiempo y asegúrese de que las "
            "familias sepan en qué consiste y cuándo es.",
            "Al inicio del año, informe a cada tutor qué estudiantes repiten el "
            "grado, para que los acoja y acuerde con ellos metas alcanzables.",
            "Revise con el equipo si la repitencia se concentra en ciertos grados o "
            "áreas, y qué puede cambiar la escuela en la forma de enseñar y evaluar.",
        ],
    },
    {
        "slug": "director-extraedad",
        "titulo": "Estudiantes con extraedad: opciones para que terminen",
        "audiencia": "DIRECTOR",
        "nivel": "TODOS",
        "factor": "extraedad",
        "orden": 143,
        "resumen": (
            "Con cada año de extraedad crece el riesgo de dejar la escuela. Asegure "
            "apoyo en el aula y, cuando haga falta, información sobre otras "
            "opciones para terminar."
        ),
        "parrafos": [
            "Revise en la lista de la institución educativa cuántos estudiantes con "
            "extraedad hay en cada grado y si se concentran en ciertas secciones.",
            "Pida a los tutores que les den un acompañamiento cercano y que cuiden "
            "la convivencia: ser mayor que los compañeros puede aislar.",
            "En inicial, verifique que cada niña o niño esté en el grado que le "
            "corresponde por edad, para que pase a primaria a tiempo.",
            "Cuando el horario escolar no sea compatible con la vida del "
            "estudiante, informe a la familia sobre la Educación Básica Alternativa, "
            "con el apoyo de la UGEL. Lo importante es que no deje de estudiar.",
        ],
    },
    {
        "slug": "director-reincorporacion",
        "titulo": "Reincorporar a quienes dejaron de estudiar",
        "audiencia": "DIRECTOR",
        "nivel": "TODOS",
        "factor": "interrupcion_previa",
        "orden": 144,
        "resumen": (
            "Quien vuelve después de dejar de estudiar necesita una escuela "
            "preparada para recibirlo, con un plan para ponerse al día."
        ),
        "parrafos": [
            "Facilite la matrícula de quienes vuelven en cualquier momento del año, "
            "y oriente al tutor sobre su situación.",
            "Pida al tutor un plan para ponerse al día con pocos aprendizajes "
            "prioritarios, y ofrezca flexibilidad en plazos y evaluaciones.",
            "Con la APAFA y las autoridades de la comunidad, identifiquen a niños y "
            "adolescentes de la zona que no están estudiando e invítenlos a volver.",
            "En la reunión mensual con los tutores, revisen cómo van quienes "
            "volvieron: los primeros meses son los más delicados.",
        ],
    },
    {
        "slug": "director-retiro",
        "titulo": "Antes de dar por perdido a un estudiante que se retira",
        "audiencia": "DIRECTOR",
        "nivel": "TODOS",
        "factor": "retiro",
        "orden": 145,
        "resumen": (
            "Antes de aceptar un retiro, asegúrese de que la escuela hizo todo lo "
            "posible para que el estudiante siga estudiando, aquí o en otra escuela."
        ),
        "parrafos": [
            "Cuando una familia pide el retiro o un estudiante deja de venir, "
            "converse con ella personalmente: pregunte las razones y qué necesitaría "
            "para que siga estudiando.",
            "Ofrezca lo que la escuela puede dar: flexibilidad en horarios y "
            "entregas, apoyo para ponerse al día o información sobre becas y "
            "programas sociales. Si la familia se muda, explique cómo hacer el "
            "traslado para que no pierda el año.",
            "Pida al tutor que mantenga el contacto con la familia en las semanas "
            "siguientes.",
            "Revise con el equipo, al final de cada trimestre, los retiros del año y "
            "sus causas, y qué puede hacer la escuela para prevenirlos.",
        ],
    },
    {
        "slug": "director-traslados",
        "titulo": "Traslados: recibir bien y no perder a nadie en el camino",
        "audiencia": "DIRECTOR",
        "nivel": "TODOS",
        "factor": "traslados",
        "orden": 146,
        "resumen": (
            "Un traslado es un momento de riesgo. Asegure que quien llega sea bien "
            "recibido y que quien se va llegue a su nueva escuela."
        ),
        "parrafos": [
            "Cuando llega un estudiante trasladado, pida sus documentos a la escuela "
            "anterior, asígnelo a una sección con su tutor y pida al tutor una "
            "bienvenida y un plan para ponerse al día.",
            "Cuando una familia pide el traslado, confirme a qué escuela irá y "
            "explique los pasos para que el estudiante no pierda clases.",
            "Si un estudiante trasladado no aparece matriculado en su nueva escuela, "
            "comuníquese con la familia y, si no la encuentra, informe a la UGEL.",
            "Revise con el equipo si hay estudiantes que cambian de escuela con "
            "frecuencia: necesitan un acompañamiento más cercano.",
        ],
    },
    {
        "slug": "director-trabajo-infantil",
        "titulo": "Flexibilidad y protección para estudiantes que trabajan",
        "audiencia": "DIRECTOR",
        "nivel": "TODOS",
        "factor": "trabajo_infantil",
        "orden": 147,
        "resumen": (
            "Organice medidas de flexibilidad para que quien trabaja siga estudiando "
            "y coordine su protección cuando el trabajo lo pone en riesgo."
        ),
        "parrafos": [
            "Identifique con los tutores a los estudiantes que trabajan y las "
            "temporadas de más trabajo en la zona (cosecha, campañas, ferias).",
            "Acuerde con los docentes medidas de flexibilidad: plazos, evaluaciones "
            "reprogramadas y materiales para avanzar en casa durante esas temporadas.",
            "Trabaje con las familias y la APAFA para que el trabajo no quite el "
            "tiempo de estudio y descanso, e informe sobre los programas sociales que "
            "pueden aliviar la necesidad del hogar.",
            "Cuando el trabajo sea peligroso o afecte la salud o la asistencia, "
            "coordine con la DEMUNA. La prioridad es proteger al estudiante, no "
            "sancionarlo ni sancionar a su familia.",
        ],
    },
    {
        "slug": "director-costos-y-apoyos",
        "titulo": "Que los costos no alejen a nadie de la escuela",
        "audiencia": "DIRECTOR",
        "nivel": "TODOS",
        "factor": "pobreza",
        "orden": 148,
        "resumen": (
            "Revise qué gastos pide la escuela a las familias y organice la "
            "información sobre apoyos del Estado, sin exponer a nadie."
        ),
        "parrafos": [
            "Revise con la APAFA y los docentes los gastos que la escuela pide a las "
            "familias: listas de útiles, uniformes, cuotas o actividades. Redúzcalos "
            "a lo indispensable.",
            "Asegure que a ningún estudiante se le impida entrar o participar en "
            "clase por no tener uniforme, útiles o por no haber pagado una cuota.",
            "Organice la información sobre programas sociales y becas para todas las "
            "familias, en reuniones o comunicados, para que nadie se sienta "
            "señalado.",
            "Coordine con la municipalidad y los programas sociales de la zona, y "
            "pida a los tutores que le informen de los casos que necesitan apoyo.",
        ],
    },
    {
        "slug": "director-escuela-de-familias",
        "titulo": "Una escuela abierta a todas las familias",
        "audiencia": "DIRECTOR",
        "nivel": "TODOS",
        "factor": "entorno_familiar",
        "orden": 149,
        "resumen": (
            "Organice espacios para que todas las familias, también quienes "
            "estudiaron poco o no son padres, puedan acompañar los estudios."
        ),
        "parrafos": [
            "Pida a los tutores que sepan quién es la persona que acompaña a cada "
            "estudiante en casa, y que se comuniquen con ella.",
            "Organice la escuela de familias en horarios posibles para quienes "
            "trabajan, con actividades prácticas y sin depender de textos escritos.",
            "Haga que las reuniones y comunicados usen palabras sencillas y, donde "
            "haga falta, la lengua de la comunidad.",
            "Recuerde al equipo que abuelos, tíos o hermanos mayores también son "
            "familia y deben ser tratados como tales.",
        ],
    },
    {
        "slug": "director-educacion-intercultural-bilingue",
        "titulo": "Lengua originaria: una escuela que enseña en la lengua de sus estudiantes",
        "audiencia": "DIRECTOR",
        "nivel": "TODOS",
        "factor": "lengua_originaria",
        "orden": 150,
        "resumen": (
            "Si sus estudiantes hablan una lengua originaria, organice la enseñanza "
            "y la comunicación con las familias para que la lengua no sea una "
            "barrera."
        ),
        "parrafos": [
            "Identifique qué lenguas hablan sus estudiantes y sus familias, y si su "
            "institución educativa está registrada como de educación intercultural "
            "bilingüe.",
            "Asigne, en lo posible, docentes que hablen la lengua de los estudiantes "
            "en los primeros grados, y solicite a la UGEL los materiales en lengua "
            "originaria.",
            "Comuníquese con las familias en su lengua, con apoyo de docentes o de "
            "personas de la comunidad.",
            "Cuide la convivencia: ninguna burla ni sanción por hablar la propia "
            "lengua.",
        ],
    },
    {
        "slug": "director-inclusion-discapacidad",
        "titulo": "Inclusión: ajustes razonables y apoyo del SAANEE",
        "audiencia": "DIRECTOR",
        "nivel": "TODOS",
        "factor": "discapacidad",
        "orden": 151,
        "resumen": (
            "Asegure que cada estudiante con discapacidad tenga los ajustes que "
            "necesita y que sus docentes cuenten con apoyo especializado."
        ),
        "parrafos": [
            "Identifique con los tutores a los estudiantes con discapacidad y las "
            "barreras que encuentran: de acceso, de comunicación, de materiales o de "
            "trato.",
            "Solicite el apoyo del SAANEE del CEBE más cercano y organice con los "
            "docentes los ajustes razonables que cada estudiante necesita.",
            "Asegure la accesibilidad de los espacios que usan: aula, servicios "
            "higiénicos, patio.",
            "Reciba a las familias, reconozca lo que saben de sus hijos y acuerden "
            "juntos los apoyos. Ninguna matrícula se niega por discapacidad.",
        ],
    },
    {
        "slug": "director-estudiantes-extranjeros",
        "titulo": "Matrícula y acogida de estudiantes de otros países",
        "audiencia": "DIRECTOR",
        "nivel": "TODOS",
        "factor": "documento_extranjero",
        "orden": 152,
        "resumen": (
            "La falta de documentos no debe dejar fuera a ningún estudiante. "
            "Facilite la matrícula y una buena acogida en la escuela."
        ),
        "parrafos": [
            "Matricule al estudiante aunque falten documentos; la norma de matrícula "
            "lo permite. Oriente a la familia, con apoyo de la UGEL, sobre la "
            "convalidación de los estudios hechos en otro país.",
            "Pida al tutor una bienvenida, una evaluación de los aprendizajes que "
            "trae y un plan para reforzar lo que necesite.",
            "Promueva una convivencia sin discriminación por nacionalidad, y actúe "
            "de inmediato ante cualquier caso de acoso.",
            "Cuando la familia se mude, explique cómo pedir el traslado para que el "
            "estudiante no pierda clases.",
        ],
    },
    {
        "slug": "director-escuela-con-mucha-desercion",
        "titulo": "Cuando su escuela o su distrito tuvo mucha deserción",
        "audiencia": "DIRECTOR",
        "nivel": "TODOS",
        "factor": "contexto_escuela",
        "orden": 153,
        "resumen": (
            "Si muchos estudiantes de su escuela o su distrito dejaron de estudiar el "
            "año pasado, la continuidad debe ser una prioridad de toda la escuela."
        ),
        "parrafos": [
            "Con el equipo, revisen quiénes dejaron de estudiar el año pasado, en "
            "qué grados y por qué razones, según lo que saben los tutores.",
            "Incluya en el plan anual de trabajo acciones concretas para la "
            "continuidad: bienvenida, contacto rápido ante las faltas, refuerzo y "
            "atención a los grados de paso.",
            "Sume a la APAFA, al CONEI, a la municipalidad y a las autoridades "
            "comunales para buscar a quienes no volvieron e invitarlos a regresar.",
            "Revise cada mes con los tutores la situación de los estudiantes en "
            "riesgo alto y medio, y pida apoyo a la UGEL cuando el problema supere a "
            "la escuela.",
        ],
    },
    # --- Especialista UGEL/DRE: items of 0002, rewritten --------------------------
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
            "revisar las orientaciones y acordar cómo anotarán el contacto mensual. "
            "Trabajen con la lista de su propia aula, no solo con ejemplos.",
            "Unas semanas después, pregunte a los directores y a los docentes "
            "capacitados si ingresan y qué acciones realizaron, y programe una nueva "
            "sesión con quienes aún no lo hacen.",
        ],
    },
    {
        "slug": "monitorear-uso-y-acompanar-directores",
        "titulo": "Acompañar a los directores en el uso de la herramienta",
        "audiencia": "ESPECIALISTA",
        "nivel": "TODOS",
        "factor": "",
        "orden": 220,
        "resumen": (
            "Converse con regularidad con los directores sobre cómo usan Alerta "
            "Escuela en su institución educativa y acompáñelos para que la atención "
            "a los estudiantes en riesgo se sostenga."
        ),
        "parrafos": [
            "La herramienta solo ayuda si se usa. En sus visitas y reuniones, "
            "pregunte a los directores si ellos y sus tutores ingresan, revisan sus "
            "listas, descargan los reportes y leen las orientaciones.",
            "Empiece por las instituciones educativas con más estudiantes en riesgo "
            "alto o medio. Antes de concluir que no se hace nada, escuche al "
            "director: puede haber problemas de acceso, secciones sin tutor asignado "
            "o acciones realizadas que no se anotaron.",
            "Acompañe a los directores en la organización de la escuela: la "
            "asignación de tutores, las reuniones mensuales y el contacto mensual con "
            "los estudiantes. Comparta las experiencias que funcionan en otras "
            "escuelas de la UGEL y ayude a articular con la DEMUNA, los servicios de "
            "salud y los programas sociales cuando un caso lo requiera.",
            "Cada vez que abre la lista nominal de una escuela, el acceso queda "
            "registrado. Ábrala solo cuando sea necesario para acompañar un caso y "
            "use los reportes agregados para todo lo demás.",
        ],
    },
    # --- Especialista UGEL/DRE: new items ------------------------------------------
    {
        "slug": "especialista-reinsercion",
        "titulo": "Reinserción: buscar a quienes dejaron de estudiar",
        "audiencia": "ESPECIALISTA",
        "nivel": "TODOS",
        "factor": "interrupcion_previa",
        "orden": 230,
        "resumen": (
            "Organice con las escuelas y los aliados del territorio la búsqueda de "
            "quienes dejaron de estudiar y su regreso a la escuela."
        ),
        "parrafos": [
            "Identifique con los directores las zonas y los grados donde más "
            "estudiantes interrumpieron sus estudios.",
            "Organice acciones de contacto y reinserción con municipalidades, "
            "DEMUNA, establecimientos de salud, programas sociales y autoridades "
            "comunales, como propone la Estrategia Nacional para la Reinserción y la "
            "Continuidad Educativa.",
            "Asegure que las escuelas matriculen a quienes vuelven en cualquier "
            "momento del año y que sepan acogerlos con un plan para ponerse al día. "
            "Cuando el horario escolar no sea posible, oriente hacia la Educación "
            "Básica Alternativa.",
            "Revise con los directores, cada trimestre, cuántos volvieron y cómo "
            "van, y comparta lo que funciona entre las escuelas de su ámbito.",
        ],
    },
    {
        "slug": "especialista-retiros",
        "titulo": "Retiros: revisar los casos con las escuelas",
        "audiencia": "ESPECIALISTA",
        "nivel": "TODOS",
        "factor": "retiro",
        "orden": 231,
        "resumen": (
            "Los retiros de un año anuncian la deserción del siguiente. Revise con "
            "los directores dónde se concentran y qué se hizo antes de aceptarlos."
        ),
        "parrafos": [
            "Identifique las instituciones educativas con más estudiantes retirados "
            "y converse con sus directores sobre las causas.",
            "Verifique que las escuelas agoten el contacto con la familia antes de "
            "aceptar un retiro, y que ofrezcan flexibilidad o un traslado en lugar "
            "de perder al estudiante.",
            "Coordine con otras escuelas y servicios del ámbito cuando la causa esté "
            "fuera de la escuela: mudanza, trabajo, salud o falta de oferta cercana.",
            "Comparta con las escuelas las experiencias que lograron que estudiantes "
            "retirados volvieran.",
        ],
    },
    {
        "slug": "especialista-trabajo-infantil",
        "titulo": "Trabajo infantil: articular con otros sectores",
        "audiencia": "ESPECIALISTA",
        "nivel": "TODOS",
        "factor": "trabajo_infantil",
        "orden": 232,
        "resumen": (
            "Donde muchos estudiantes trabajan, la escuela sola no basta: articule "
            "con las DEMUNA, el sector Trabajo y los gobiernos locales."
        ),
        "parrafos": [
            "Identifique las zonas y temporadas en que más estudiantes trabajan "
            "(cosecha, minería, comercio, campañas) a partir de lo que reportan las "
            "escuelas.",
            "Oriente a los directores sobre medidas de flexibilidad posibles en esas "
            "temporadas, sin que los estudiantes pierdan el año.",
            "Articule con las DEMUNA, la dirección regional de trabajo y los "
            "gobiernos locales para prevenir el trabajo peligroso y proteger a los "
            "estudiantes.",
            "Acompañe a las escuelas con más estudiantes que trabajan en la "
            "organización de la recuperación de aprendizajes después de las "
            "temporadas de más trabajo.",
        ],
    },
    {
        "slug": "especialista-programas-sociales",
        "titulo": "Pobreza: articular con los programas sociales",
        "audiencia": "ESPECIALISTA",
        "nivel": "TODOS",
        "factor": "pobreza",
        "orden": 233,
        "resumen": (
            "Coordine con los programas sociales y los gobiernos locales para que las "
            "familias con menos recursos puedan sostener los estudios."
        ),
        "parrafos": [
            "Identifique las instituciones educativas con más estudiantes de "
            "hogares pobres y en qué distritos se concentran.",
            "Coordine con el programa Juntos, la alimentación escolar, el Pronabec y "
            "las municipalidades para que la información de los apoyos llegue a las "
            "escuelas y a las familias.",
            "Recuerde a los directores que ningún cobro ni falta de uniforme o "
            "útiles puede impedir que un estudiante estudie.",
            "Comparta con las escuelas las iniciativas locales que funcionan: "
            "materiales compartidos, transporte organizado, apoyos de la comunidad.",
        ],
    },
    {
        "slug": "especialista-eib",
        "titulo": "Lengua originaria: docentes y materiales de educación intercultural bilingüe",
        "audiencia": "ESPECIALISTA",
        "nivel": "TODOS",
        "factor": "lengua_originaria",
        "orden": 234,
        "resumen": (
            "Asegure que las escuelas con estudiantes de lengua originaria cuenten "
            "con docentes que hablen su lengua y con materiales en esa lengua."
        ),
        "parrafos": [
            "Identifique las instituciones educativas con más estudiantes de lengua "
            "originaria y verifique si están registradas como de educación "
            "intercultural bilingüe.",
            "Priorice la asignación de docentes que hablen la lengua de los "
            "estudiantes y la entrega oportuna de los materiales en lengua "
            "originaria.",
            "Organice capacitaciones para que los docentes enseñen en dos lenguas y "
            "se comuniquen con las familias en su lengua.",
            "Acompañe a los directores para que la escuela valore la lengua y la "
            "cultura de sus estudiantes.",
        ],
    },
    {
        "slug": "especialista-discapacidad",
        "titulo": "Discapacidad: SAANEE, CEBE y servicios de apoyo",
        "audiencia": "ESPECIALISTA",
        "nivel": "TODOS",
        "factor": "discapacidad",
        "orden": 235,
        "resumen": (
            "Asegure que las escuelas con estudiantes con discapacidad reciban el "
            "apoyo del SAANEE y que las familias conozcan los servicios de apoyo "
            "educativo."
        ),
        "parrafos": [
            "Identifique las instituciones educativas con estudiantes con "
            "discapacidad y si reciben el apoyo del SAANEE.",
            "Organice con los CEBE la atención del SAANEE a esas escuelas, "
            "priorizando las que tienen más estudiantes en riesgo alto o medio.",
            "Difunda entre las familias los servicios de apoyo educativo para "
            "estudiantes con discapacidad, incluidos los virtuales.",
            "Verifique que ninguna escuela niegue la matrícula por discapacidad y "
            "acompañe a los directores en los ajustes razonables.",
        ],
    },
    {
        "slug": "especialista-estudiantes-extranjeros",
        "titulo": "Estudiantes de otros países: matrícula sin barreras",
        "audiencia": "ESPECIALISTA",
        "nivel": "TODOS",
        "factor": "documento_extranjero",
        "orden": 236,
        "resumen": (
            "Oriente a las escuelas para que ningún estudiante quede fuera por falta "
            "de documentos y para que la convalidación de estudios sea ágil."
        ),
        "parrafos": [
            "Identifique las instituciones educativas que reciben más estudiantes de "
            "otros países.",
            "Recuerde a los directores que la falta de documentos no impide la "
            "matrícula, y apóyelos en la convalidación de estudios hechos en otro "
            "país.",
            "Articule con las municipalidades, las DEMUNA y las organizaciones que "
            "apoyan a familias migrantes en su ámbito.",
            "Promueva en las escuelas la acogida y la convivencia sin "
            "discriminación por nacionalidad.",
        ],
    },
    {
        "slug": "especialista-oferta-rural",
        "titulo": "Zonas rurales: oferta educativa y modelos de servicio",
        "audiencia": "ESPECIALISTA",
        "nivel": "TODOS",
        "factor": "ruralidad",
        "orden": 237,
        "resumen": (
            "En zonas rurales, la falta de secundaria cercana y la distancia alejan "
            "a los estudiantes. Revise la oferta y los modelos de servicio de su "
            "ámbito."
        ),
        "parrafos": [
            "Identifique las comunidades donde los estudiantes dejan de estudiar al "
            "terminar la primaria o donde la escuela queda lejos.",
            "Evalúe con su equipo las opciones de los modelos de servicio educativo "
            "para zonas rurales: secundaria en alternancia, con residencia "
            "estudiantil o tutorial.",
            "Articule con los gobiernos locales el transporte escolar y el "
            "hospedaje de estudiantes que viven lejos.",
            "Acompañe a las escuelas unidocentes y multigrado, que suelen tener menos "
            "apoyo para atender a sus estudiantes en riesgo.",
        ],
    },
    {
        "slug": "especialista-escuelas-con-mucha-desercion",
        "titulo": "Escuelas y distritos con mucha deserción: dónde actuar primero",
        "audiencia": "ESPECIALISTA",
        "nivel": "TODOS",
        "factor": "contexto_escuela",
        "orden": 238,
        "resumen": (
            "Priorice su acompañamiento en las escuelas y distritos donde más "
            "estudiantes dejaron de estudiar el año pasado."
        ),
        "parrafos": [
            "Con los reportes de su UGEL o su DRE, identifique las instituciones "
            "educativas y los distritos con más estudiantes en riesgo medio y alto; "
            "pregunte a sus directores cuántos estudiantes no volvieron este año.",
            "Priorice esas escuelas para capacitaciones en grupos pequeños y visitas "
            "de acompañamiento.",
            "Convoque a las municipalidades y a los aliados del distrito para "
            "acciones de contacto y reinserción.",
            "Revise cada trimestre, con los directores, si la situación mejora y "
            "ajuste las prioridades.",
        ],
    },
]

CAMPOS = ("titulo", "audiencia", "nivel", "factor", "orden", "resumen")


def _valores(item: dict) -> dict:
    valores = {campo: item[campo] for campo in CAMPOS}
    valores["texto"] = "\n\n".join(item["parrafos"])
    return valores


def _como_quedo(orientacion, valores: dict) -> bool:
    return all(getattr(orientacion, campo) == v for campo, v in valores.items())


def _cambiar(Orientacion, de: dict[str, dict], a: dict[str, dict]) -> None:
    """Items of slug in both `de` and `a`: from `de` to `a`, if not edited since."""
    for orientacion in Orientacion.objects.filter(slug__in=set(de) & set(a)):
        if _como_quedo(orientacion, de[orientacion.slug]):
            for campo, valor in a[orientacion.slug].items():
                setattr(orientacion, campo, valor)
            orientacion.save()


def crear_orientaciones(apps, schema_editor):
    Orientacion = apps.get_model("orientaciones", "Orientacion")
    antes = {i["slug"]: _valores(i) for i in INICIALES}
    ahora = {i["slug"]: _valores(i) for i in ORIENTACIONES}
    _cambiar(Orientacion, antes, ahora)
    for slug, valores in ahora.items():
        if slug not in antes:
            Orientacion.objects.get_or_create(
                slug=slug, defaults={**valores, "publicada": True}
            )


def borrar_orientaciones(apps, schema_editor):
    Orientacion = apps.get_model("orientaciones", "Orientacion")
    antes = {i["slug"]: _valores(i) for i in INICIALES}
    ahora = {i["slug"]: _valores(i) for i in ORIENTACIONES}
    _cambiar(Orientacion, ahora, antes)
    Orientacion.objects.filter(slug__in=set(ahora) - set(antes)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("orientaciones", "0003_factores_de_todo_el_modelo"),
    ]

    operations = [
        migrations.RunPython(crear_orientaciones, borrar_orientaciones),
    ]
